// Package onnxops reads, from onnx-gomlx's source, which ONNX operators it
// converts to GoMLX: the case labels of the switch on the node's op type in
// its convertNode. lib/zoo's generated op list (and ONNX_OPS.md) come from it,
// and a test checks them against the onnx-gomlx version in go.mod.
package onnxops

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
)

// Module is the import path of onnx-gomlx.
const Module = "github.com/gomlx/onnx-gomlx"

// Locate returns the directory and version of the onnx-gomlx module the
// current Go module builds with (`go list -m`).
func Locate() (dir, version string, err error) {
	out, err := exec.Command("go", "list", "-m", "-json", Module).Output()
	if err != nil {
		return "", "", fmt.Errorf("onnxops: go list -m %s: %w", Module, err)
	}
	var m struct{ Dir, Version string }
	if err := json.Unmarshal(out, &m); err != nil {
		return "", "", fmt.Errorf("onnxops: go list -m %s: %w", Module, err)
	}
	if m.Dir == "" {
		return "", "", fmt.Errorf("onnxops: %s %s is not in the module cache (go mod download)", Module, m.Version)
	}
	return m.Dir, m.Version, nil
}

// Converted returns, sorted, the ONNX op types that onnx-gomlx's
// (*Model).convertNode in dir/onnx/graph.go handles.
func Converted(dir string) ([]string, error) {
	path := filepath.Join(dir, "onnx", "graph.go")
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		return nil, fmt.Errorf("onnxops: %w", err)
	}
	var ops []string
	found := false
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Name.Name != "convertNode" || fn.Body == nil {
			continue
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			sw, ok := n.(*ast.SwitchStmt)
			if !ok {
				return true
			}
			sel, ok := sw.Tag.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "OpType" {
				return true
			}
			found = true
			for _, s := range sw.Body.List {
				for _, e := range s.(*ast.CaseClause).List {
					if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						if op, err := strconv.Unquote(lit.Value); err == nil {
							ops = append(ops, op)
						}
					}
				}
			}
			return false
		})
	}
	if !found {
		return nil, fmt.Errorf("onnxops: %s: no switch on OpType in convertNode: onnx-gomlx changed, update lib/zoo/internal/onnxops", path)
	}
	sort.Strings(ops)
	return ops, nil
}
