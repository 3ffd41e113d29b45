package lockset

import "golang.org/x/tools/go/ssa"

// LoopBlocks returns the blocks of fn that lie on a control-flow cycle
// (that can reach themselves). The passes and analyzers that ask whether
// an instruction may run more than once share it.
func LoopBlocks(fn *ssa.Function) map[*ssa.BasicBlock]bool {
	m := map[*ssa.BasicBlock]bool{}
	for _, b := range fn.Blocks {
		seen := map[*ssa.BasicBlock]bool{}
		stack := append([]*ssa.BasicBlock(nil), b.Succs...)
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if x == b {
				m[b] = true
				break
			}
			if seen[x] {
				continue
			}
			seen[x] = true
			stack = append(stack, x.Succs...)
		}
	}
	return m
}

// AddLock returns set plus l; set must be sorted by Key, as every lock
// set of this package is, and the result is too.
func AddLock(set []Lock, l Lock) []Lock { return addLock(set, l) }

// RemoveLock returns set without the lock with the given key.
func RemoveLock(set []Lock, key string) []Lock { return removeLock(set, key) }

// HasLock reports whether the sorted set holds the lock with the given key.
func HasLock(set []Lock, key string) bool { return hasLock(set, key) }
