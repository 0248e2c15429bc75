// Command hcl-eval parses an HCL file (docker-bake.hcl) with HashiCorp's own HCL parser and prints
// every block with its attributes evaluated, as JSON, so tests can check what a bake file really
// means: {"blocks":[{"type":"target","labels":["x"],"attrs":{"context":"."}}]}.
//
// Variables are evaluated from their `default`, `function` blocks become callable (as in bake),
// and the functions bake files commonly use are available. An attribute that cannot be evaluated
// is reported as {"error": "..."} in place of its value. A parse error exits 1 with the diagnostics.
//
// Usage: hcl-eval <file.hcl>   (or "-" for stdin)
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/userfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

type block struct {
	Type   string                     `json:"type"`
	Labels []string                   `json:"labels"`
	Attrs  map[string]json.RawMessage `json:"attrs"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: hcl-eval <file.hcl | ->")
		os.Exit(2)
	}
	var src []byte
	var err error
	if os.Args[1] == "-" {
		src, err = io.ReadAll(os.Stdin)
	} else {
		src, err = os.ReadFile(os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	file, diags := hclsyntax.ParseConfig(src, os.Args[1], hcl.InitialPos)
	if diags.HasErrors() {
		fmt.Fprintln(os.Stderr, diags.Error())
		os.Exit(1)
	}
	body := file.Body.(*hclsyntax.Body)
	if len(body.Attributes) > 0 {
		fmt.Fprintln(os.Stderr, "top-level attributes are not expected in a bake file")
		os.Exit(1)
	}

	funcs := map[string]function.Function{
		"compact":  stdlib.CompactFunc,
		"format":   stdlib.FormatFunc,
		"notequal": stdlib.NotEqualFunc,
		"equal":    stdlib.EqualFunc,
		"substr":   stdlib.SubstrFunc,
		"upper":    stdlib.UpperFunc,
		"lower":    stdlib.LowerFunc,
		"join":     stdlib.JoinFunc,
	}
	vars := map[string]cty.Value{}
	ctx := &hcl.EvalContext{Variables: vars, Functions: funcs}
	// Variables first: their defaults are plain literals in a bake file.
	for _, b := range body.Blocks {
		if b.Type != "variable" || len(b.Labels) != 1 {
			continue
		}
		if a, ok := b.Body.Attributes["default"]; ok {
			v, d := a.Expr.Value(nil)
			if d.HasErrors() {
				fmt.Fprintln(os.Stderr, d.Error())
				os.Exit(1)
			}
			vars[b.Labels[0]] = v
		} else {
			vars[b.Labels[0]] = cty.StringVal("")
		}
	}
	// User functions (`function "name" { params = [...] result = ... }`), as bake declares them.
	userFuncs, _, d := userfunc.DecodeUserFunctions(file.Body, "function", func() *hcl.EvalContext { return ctx })
	if d.HasErrors() {
		fmt.Fprintln(os.Stderr, d.Error())
		os.Exit(1)
	}
	for n, f := range userFuncs {
		funcs[n] = f
	}

	out := []block{}
	for _, b := range body.Blocks {
		if b.Type == "function" {
			continue
		}
		bl := block{Type: b.Type, Labels: append([]string{}, b.Labels...), Attrs: map[string]json.RawMessage{}}
		names := make([]string, 0, len(b.Body.Attributes))
		for n := range b.Body.Attributes {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			v, d := b.Body.Attributes[n].Expr.Value(ctx)
			if d.HasErrors() {
				msg, _ := json.Marshal(map[string]string{"error": d.Error()})
				bl.Attrs[n] = msg
				continue
			}
			j, err := ctyjson.SimpleJSONValue{Value: v}.MarshalJSON()
			if err != nil {
				msg, _ := json.Marshal(map[string]string{"error": err.Error()})
				bl.Attrs[n] = msg
				continue
			}
			bl.Attrs[n] = j
		}
		out = append(out, bl)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any{"blocks": out}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
