#include "ledger_test_support.h"

#include <git2.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>

#include "ledger/git_handle.h"
#include "record/record_id.h"
#include "sign/dsse.h"
#include "sign/minisign_key.h"

namespace assay::ledger_testing {
namespace {

[[noreturn]] void Die(const std::string& what, const std::string& why) {
  std::fprintf(stderr, "ledger test set-up: %s: %s\n", what.c_str(), why.c_str());
  std::abort();
}

void Must(const Status& status, const std::string& what) {
  if (!status.ok()) Die(what, status.message());
}

void MustGit(int code, const std::string& what) {
  if (code < 0) Die(what, git_error_last() != nullptr ? git_error_last()->message : "libgit2 error");
}

template <typename T>
T Must(Result<T> result, const std::string& what) {
  if (!result.ok()) Die(what, result.status().message());
  return std::move(result).value();
}

MinisignSecretKey KeyFromSeed(uint8_t seed) {
  std::array<uint8_t, kEd25519SeedSize> bytes{};
  bytes.fill(seed);
  MinisignKeyId key_id{};
  key_id.fill(seed);
  return MinisignSecretKey(key_id, Ed25519SecretKey::FromSeed(bytes));
}

git_oid Oid(const std::string& hex) {
  git_oid oid;
  MustGit(git_oid_fromstr(&oid, hex.c_str()), "commit id " + hex);
  return oid;
}

}  // namespace

Party::Party(uint8_t seed, std::string party_name) : key(KeyFromSeed(seed)), name(std::move(party_name)) {}

CommitSigner Party::Signer() const { return {&key.key(), name, FormatMinisignKeyId(key.key_id())}; }

std::string Party::Envelope(int n) const {
  const std::string statement = R"({"_type":"https://in-toto.io/Statement/v1","predicate":{"by":")" + name +
                                R"(","n":)" + std::to_string(n) +
                                R"(},"predicateType":"https://example.com/ledger-test/v1","subject":[]})";
  return SerializeDsseEnvelope(SignDsse(kInTotoPayloadType, statement, key.key())) + "\n";
}

TrustEntry Party::Trusted(std::set<TrustRole> roles, std::optional<UtcDate> valid_after,
                          std::optional<UtcDate> valid_before) const {
  return TrustEntry{name, std::move(roles), key.public_key(), valid_after, valid_before};
}

TrustFile TrustOf(std::initializer_list<const Party*> parties) {
  TrustFile trust;
  for (const Party* party : parties) Must(trust.Add(party->Trusted()), "trusting " + party->name);
  return trust;
}

std::vector<LedgerEntry> Entries(const LedgerStore& store) {
  std::vector<LedgerEntry> entries;
  Status status = store.ForEachRecord([&](const LedgerEntry& entry) {
    entries.push_back(entry);
    return Status::Ok();
  });
  EXPECT_TRUE(status.ok()) << status.message();
  return entries;
}

std::vector<std::string> RecordIds(const LedgerStore& store) {
  std::vector<std::string> ids;
  for (const LedgerEntry& entry : Entries(store)) ids.push_back(entry.record_id);
  return ids;
}

ScratchLedger::ScratchLedger(std::string name) {
  store_ = Must(LedgerStore::Init((dir_.path() / name).string()), "init " + name);
  store_->set_sync_writes(false);
}

int64_t ScratchLedger::Tick() {
  const int64_t now = clock.NowNanos() / 1'000'000'000;
  clock.Advance(1'000'000'000);
  return now;
}

std::string ScratchLedger::Append(const Party& party, int n) {
  return Must(store_->Append(party.Envelope(n), party.Signer(), Tick()), "append").record_id;
}

std::string ScratchLedger::AppendEnvelope(const Party& party, std::string_view envelope) {
  return Must(store_->Append(envelope, party.Signer(), Tick()), "append").commit;
}

std::string ScratchLedger::Head() const { return Must(store_->Head(), "head").value_or(""); }

std::string RecordIdOf(std::string_view envelope) {
  return RecordId(Must(ParseDsseEnvelope(envelope), "envelope").payload);
}

TreeEdit AddRecord(const std::string& envelope) { return {RecordPath(RecordIdOf(envelope)), envelope}; }

std::string WriteCommit(LedgerStore& store, const std::vector<std::string>& parents,
                        const std::vector<TreeEdit>& edits, const CommitSigner* signer, int64_t unix_time) {
  git_repository* repository = store.repository();
  std::vector<GitCommit> parent_commits;
  for (const std::string& parent : parents) parent_commits.push_back(Must(LookupCommit(repository, Oid(parent)), parent));
  GitTree baseline;
  if (!parent_commits.empty()) baseline = Must(TreeOfCommit(parent_commits[0].get()), "tree of " + parents[0]);

  std::vector<git_tree_update> updates;
  for (const TreeEdit& edit : edits) {
    git_tree_update update{};
    update.path = edit.path.c_str();
    if (edit.bytes) {
      update.action = GIT_TREE_UPDATE_UPSERT;
      update.filemode = GIT_FILEMODE_BLOB;
      MustGit(git_blob_create_from_buffer(&update.id, repository, edit.bytes->data(), edit.bytes->size()), "blob");
    } else {
      update.action = GIT_TREE_UPDATE_REMOVE;
    }
    updates.push_back(update);
  }
  git_oid tree_id;
  if (baseline != nullptr) {
    MustGit(git_tree_create_updated(&tree_id, repository, baseline.get(), updates.size(), updates.data()), "tree");
  } else {
    // git_tree_create_updated needs a baseline: start from the empty tree.
    git_treebuilder* raw = nullptr;
    MustGit(git_treebuilder_new(&raw, repository, nullptr), "empty tree");
    GitTreeBuilder builder(raw);
    git_oid empty;
    MustGit(git_treebuilder_write(&empty, builder.get()), "empty tree");
    git_tree* empty_tree = nullptr;
    MustGit(git_tree_lookup(&empty_tree, repository, &empty), "empty tree");
    GitTree holder(empty_tree);
    MustGit(git_tree_create_updated(&tree_id, repository, holder.get(), updates.size(), updates.data()), "tree");
  }
  git_tree* tree_raw = nullptr;
  MustGit(git_tree_lookup(&tree_raw, repository, &tree_id), "tree");
  GitTree tree(tree_raw);

  std::vector<const git_commit*> parent_pointers;
  for (const GitCommit& parent : parent_commits) parent_pointers.push_back(parent.get());
  const std::string message = "hand-made commit\n";
  if (signer != nullptr) {
    return OidHex(Must(store.CommitSigned(tree.get(), parent_pointers, message, *signer, unix_time), "signed commit"));
  }
  git_signature* who_raw = nullptr;
  MustGit(git_signature_new(&who_raw, "mallory", "mallory@example.com", unix_time, 0), "signature");
  GitSignature who(who_raw);
  git_oid commit_id;
  MustGit(git_commit_create(&commit_id, repository, nullptr, who.get(), who.get(), nullptr, message.c_str(), tree.get(),
                            parent_pointers.size(), parent_pointers.data()),
          "unsigned commit");
  return OidHex(commit_id);
}

std::string CommitOnHead(LedgerStore& store, const std::vector<TreeEdit>& edits, const CommitSigner* signer,
                         int64_t unix_time) {
  std::optional<std::string> head = Must(store.Head(), "head");
  std::vector<std::string> parents;
  if (head) parents.push_back(*head);
  const std::string commit = WriteCommit(store, parents, edits, signer, unix_time);
  ResetBranch(store, commit);
  return commit;
}

void ResetBranch(LedgerStore& store, const std::string& commit) {
  git_reference* ref = nullptr;
  const git_oid id = Oid(commit);
  MustGit(git_reference_create(&ref, store.repository(), kLedgerBranch, &id, /*force=*/1, "test: reset"), "reset");
  git_reference_free(ref);
}

std::string BlobAt(const LedgerStore& store, const std::string& path) {
  const std::optional<std::string> head = Must(store.Head(), "head");
  if (!head) Die("blob at " + path, "the ledger has no records");
  GitCommit commit = Must(LookupCommit(store.repository(), Oid(*head)), *head);
  GitTree tree = Must(TreeOfCommit(commit.get()), "tree of " + *head);
  git_tree_entry* entry = nullptr;
  MustGit(git_tree_entry_bypath(&entry, tree.get(), path.c_str()), path);
  const std::string blob = OidHex(*git_tree_entry_id(entry));
  git_tree_entry_free(entry);
  return blob;
}

std::vector<std::string> ParentsOf(const LedgerStore& store, const std::string& commit) {
  GitCommit object = Must(LookupCommit(store.repository(), Oid(commit)), commit);
  std::vector<std::string> parents;
  for (unsigned i = 0; i < git_commit_parentcount(object.get()); ++i) {
    parents.push_back(OidHex(*git_commit_parent_id(object.get(), i)));
  }
  return parents;
}

}  // namespace assay::ledger_testing
