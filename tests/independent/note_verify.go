// note_verify checks assay's ledger checkpoints with code that shares nothing
// with assay's C++: Go's golang.org/x/mod/sumdb/note opens signed notes,
// golang.org/x/mod/sumdb/tlog checks consistency proofs, and the few lines of
// tlog-cosignature/v1 below compute the cosigned message from the spec.
// tests/unit/sign/checkpoint_interop_test.cc builds and runs it.
//
// Usage:
//
//	note_verify note VKEY NOTE
//	    verify the note's signature by the log key VKEY (note.Open)
//	note_verify consistency VKEY OLD_NOTE NEW_NOTE PROOF
//	    verify both checkpoints and the consistency proof between them
//	    (PROOF: one base64 hash per line)
//	note_verify cosignature WITNESS_VKEY NOTE
//	    verify the witness's cosignature/v1 line; prints its time
//
// Exit status: 0 verified, 1 rejected, 2 usage or unreadable input.
package main

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type usageError struct{ error }

func main() {
	err := run(os.Args[1:])
	if err == nil {
		return
	}
	fmt.Fprintln(os.Stderr, "note_verify:", err)
	var usage usageError
	if errors.As(err, &usage) {
		os.Exit(2)
	}
	os.Exit(1)
}

func run(args []string) error {
	if len(args) == 0 {
		return usageError{errors.New("missing command")}
	}
	switch {
	case args[0] == "note" && len(args) == 3:
		text, err := openNote(args[1], args[2])
		if err != nil {
			return err
		}
		fmt.Printf("verified %q\n", strings.SplitN(text, "\n", 2)[0])
		return nil
	case args[0] == "consistency" && len(args) == 5:
		return checkConsistency(args[1], args[2], args[3], args[4])
	case args[0] == "cosignature" && len(args) == 3:
		return checkCosignature(args[1], args[2])
	}
	return usageError{fmt.Errorf("bad arguments %q", args)}
}

func readFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usageError{err}
	}
	return data, nil
}

// openNote verifies the note at notePath with the log key vkey and returns its text.
func openNote(vkey, notePath string) (string, error) {
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return "", usageError{err}
	}
	msg, err := readFile(notePath)
	if err != nil {
		return "", err
	}
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		return "", err
	}
	return n.Text, nil
}

type checkpoint struct {
	origin string
	size   int64
	root   tlog.Hash
}

// parseCheckpoint reads the three mandatory lines of a tlog-checkpoint text.
func parseCheckpoint(text string) (checkpoint, error) {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < 3 {
		return checkpoint{}, errors.New("checkpoint has fewer than three lines")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return checkpoint{}, fmt.Errorf("bad tree size %q", lines[1])
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != tlog.HashSize {
		return checkpoint{}, fmt.Errorf("bad root hash %q", lines[2])
	}
	var c checkpoint
	c.origin, c.size = lines[0], size
	copy(c.root[:], root)
	return c, nil
}

func verifiedCheckpoint(vkey, notePath string) (checkpoint, error) {
	text, err := openNote(vkey, notePath)
	if err != nil {
		return checkpoint{}, err
	}
	return parseCheckpoint(text)
}

func checkConsistency(vkey, oldPath, newPath, proofPath string) error {
	old, err := verifiedCheckpoint(vkey, oldPath)
	if err != nil {
		return err
	}
	cur, err := verifiedCheckpoint(vkey, newPath)
	if err != nil {
		return err
	}
	if old.origin != cur.origin {
		return fmt.Errorf("origins differ: %q and %q", old.origin, cur.origin)
	}
	data, err := readFile(proofPath)
	if err != nil {
		return err
	}
	var proof tlog.TreeProof
	for _, line := range strings.Fields(string(data)) {
		h, err := base64.StdEncoding.DecodeString(line)
		if err != nil || len(h) != tlog.HashSize {
			return fmt.Errorf("bad proof hash %q", line)
		}
		var hash tlog.Hash
		copy(hash[:], h)
		proof = append(proof, hash)
	}
	switch {
	case old.size > cur.size:
		return fmt.Errorf("tree shrank from %d to %d", old.size, cur.size)
	case old.size == 0:
		// tlog.CheckTree starts at one leaf; the empty tree is a prefix of any tree.
		if len(proof) != 0 || old.root != tlog.Hash(sha256.Sum256(nil)) {
			return errors.New("bad proof from the empty tree")
		}
	default:
		if err := tlog.CheckTree(proof, cur.size, cur.root, old.size, old.root); err != nil {
			return err
		}
	}
	fmt.Printf("consistent %d %d\n", old.size, cur.size)
	return nil
}

// cosigner is a note.Verifier for tlog-cosignature/v1 Ed25519 lines: it
// rebuilds the signed message from the note text and the line's timestamp.
type cosigner struct {
	name string
	hash uint32
	key  ed25519.PublicKey
	time uint64
}

func (c *cosigner) Name() string    { return c.name }
func (c *cosigner) KeyHash() uint32 { return c.hash }
func (c *cosigner) Verify(text, sig []byte) bool {
	if len(sig) != 8+ed25519.SignatureSize {
		return false
	}
	t := binary.BigEndian.Uint64(sig[:8])
	if t > 1<<63-1 {
		return false
	}
	msg := append([]byte(fmt.Sprintf("cosignature/v1\ntime %d\n", t)), text...)
	if !ed25519.Verify(c.key, msg, sig[8:]) {
		return false
	}
	c.time = t
	return true
}

// parseCosignerKey reads a vkey of signature type 0x04 (tlog-cosignature),
// which note.NewVerifier does not accept, and checks its key hash.
func parseCosignerKey(vkey string) (*cosigner, error) {
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 || len(parts[1]) != 8 {
		return nil, usageError{fmt.Errorf("malformed cosigner key %q", vkey)}
	}
	hash, err := strconv.ParseUint(parts[1], 16, 32)
	key, err2 := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || err2 != nil || len(key) != 1+ed25519.PublicKeySize || key[0] != 0x04 {
		return nil, usageError{fmt.Errorf("malformed cosigner key %q", vkey)}
	}
	h := sha256.Sum256(append([]byte(parts[0]+"\n"), key...))
	if binary.BigEndian.Uint32(h[:4]) != uint32(hash) {
		return nil, usageError{fmt.Errorf("cosigner key hash does not match %q", vkey)}
	}
	return &cosigner{name: parts[0], hash: uint32(hash), key: ed25519.PublicKey(key[1:])}, nil
}

func checkCosignature(vkey, notePath string) error {
	c, err := parseCosignerKey(vkey)
	if err != nil {
		return err
	}
	msg, err := readFile(notePath)
	if err != nil {
		return err
	}
	n, err := note.Open(msg, note.VerifierList(c))
	if err != nil {
		return err
	}
	if _, err := parseCheckpoint(n.Text); err != nil {
		return err
	}
	fmt.Printf("cosigned %d\n", c.time)
	return nil
}
