// Runs an Argo CD resource health script the way Argo CD does: gopher-lua (Lua 5.1),
// only the base, table, string and math libraries, the resource as the global `obj`.
// Usage: argocd-health SCRIPT.lua < object.json → {"status": "...", "message": "..."}
package main

import (
	"encoding/json"
	"fmt"
	"os"

	lua "github.com/yuin/gopher-lua"
)

func toLua(l *lua.LState, v interface{}) lua.LValue {
	switch t := v.(type) {
	case nil:
		return lua.LNil
	case bool:
		return lua.LBool(t)
	case float64:
		return lua.LNumber(t)
	case string:
		return lua.LString(t)
	case []interface{}:
		table := l.NewTable()
		for _, item := range t {
			table.Append(toLua(l, item))
		}
		return table
	case map[string]interface{}:
		table := l.NewTable()
		for k, item := range t {
			table.RawSetString(k, toLua(l, item))
		}
		return table
	}
	panic(fmt.Sprintf("unexpected JSON value %T", v))
}

func main() {
	script, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	var obj interface{}
	if err := json.NewDecoder(os.Stdin).Decode(&obj); err != nil {
		panic(err)
	}
	l := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer l.Close()
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{{lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable}, {lua.StringLibName, lua.OpenString}, {lua.MathLibName, lua.OpenMath}} {
		l.Push(l.NewFunction(lib.open))
		l.Push(lua.LString(lib.name))
		l.Call(1, 0)
	}
	l.SetGlobal("obj", toLua(l, obj))
	if err := l.DoString(string(script)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	result, ok := l.Get(-1).(*lua.LTable)
	if !ok {
		fmt.Fprintln(os.Stderr, "the script did not return a table")
		os.Exit(1)
	}
	out, _ := json.Marshal(map[string]string{
		"status":  lua.LVAsString(result.RawGetString("status")),
		"message": lua.LVAsString(result.RawGetString("message")),
	})
	fmt.Println(string(out))
}
