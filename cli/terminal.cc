#include "cli/terminal.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "printable.h"
#include "render/text.h"

namespace assay::cli {

bool StderrIsTerminal() { return ::isatty(STDERR_FILENO) == 1; }

ProgressMeter::ProgressMeter(std::string what, uint64_t total_bytes, std::string noun)
    : what_(std::move(what)), noun_(std::move(noun)), total_(total_bytes), start_(std::chrono::steady_clock::now()) {
  if (StderrIsTerminal()) drawer_ = std::thread([this] { Draw(); });
}

ProgressMeter::~ProgressMeter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_.notify_all();
  if (drawer_.joinable()) {
    drawer_.join();
    std::fprintf(stderr, "\r\033[K");
  }
}

void ProgressMeter::Draw() {
  std::unique_lock lock(mutex_);
  while (!stop_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stopping_; })) {
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const uint64_t done = done_, total = total_;
    double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    double eta = rate > 0 ? static_cast<double>(total - std::min(done, total)) / rate : 0;
    if (noun_.empty()) {
      std::fprintf(stderr, "\r\033[K%s %s of %s  %.2f GB/s  ETA %.0fs", what_.c_str(), HumanBytes(done).c_str(),
                   HumanBytes(total).c_str(), rate / 1e9, eta);
    } else if (total > 0) {
      std::fprintf(stderr, "\r\033[K%s %llu of %llu %s  %.0f/s  ETA %.0fs", what_.c_str(),
                   static_cast<unsigned long long>(done), static_cast<unsigned long long>(total), noun_.c_str(), rate, eta);
    } else {
      std::fprintf(stderr, "\r\033[K%s %llu %s  %.0f/s", what_.c_str(), static_cast<unsigned long long>(done),
                   noun_.c_str(), rate);
    }
    std::fflush(stderr);
  }
}

void TerminalOutput::Warn(const std::string& message) {
  std::fprintf(stderr, "assay: warning: %s\n", Printable(message).c_str());
}

std::unique_ptr<ProgressSink> TerminalOutput::Progress(std::string_view what, uint64_t total) {
  return std::make_unique<ProgressMeter>(std::string(what), total);
}

std::unique_ptr<ProgressSink> TerminalOutput::ProgressOf(std::string_view what, std::string_view noun, uint64_t total) {
  return std::make_unique<ProgressMeter>(std::string(what), total, std::string(noun));
}

Result<SecretBytes> TerminalPrompter::AskSecret(const std::string& prompt) {
  // Passphrases longer than this are refused by the key ring; one more byte tells it.
  constexpr size_t kMaxLineBytes = 1025;
  int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (tty < 0) {
    return Status::InvalidInput("no terminal to ask for the passphrase")
        .WithHint("pass --passphrase-file FILE or set ASSAY_PASSPHRASE");
  }
  (void)!::write(tty, prompt.data(), prompt.size());
  struct termios saved;
  bool restore = ::tcgetattr(tty, &saved) == 0;
  if (restore) {
    struct termios silent = saved;
    silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(tty, TCSAFLUSH, &silent);
  }
  SecretBytes line(kMaxLineBytes);
  size_t length = line.Write([&](std::span<uint8_t> out) {
    size_t used = 0;
    char c = 0;
    while (used < out.size() && ::read(tty, &c, 1) == 1 && c != '\n') out[used++] = static_cast<uint8_t>(c);
    c = 0;
    return used;
  });
  if (restore) ::tcsetattr(tty, TCSAFLUSH, &saved);
  (void)!::write(tty, "\n", 1);
  ::close(tty);
  return line.Read([&](std::span<const uint8_t> bytes) {
    size_t size = length;
    if (size > 0 && bytes[size - 1] == '\r') --size;
    return SecretBytes::CopyOf(bytes.first(size));
  });
}

}  // namespace assay::cli
