package fakeapi

import "strings"

// Query parameters as the API's FastAPI/pydantic layer reads them.

// missingQuery is the 422 issue for a required query parameter.
func missingQuery(name string) ValidationIssue {
	return ValidationIssue{Loc: loc("query", name), Msg: "Field required", Type: "missing"}
}

// queryBool reads boolean query parameter name as pydantic does (true, false,
// 1, 0, yes, no, on, off, t, f, y, n; any case). A value it cannot read is
// appended to issues as pydantic's bool_parsing error, and reads as false.
func queryBool(name, v string, issues *[]ValidationIssue) bool {
	switch strings.ToLower(v) {
	case "true", "1", "yes", "on", "t", "y":
		return true
	case "false", "0", "no", "off", "f", "n":
		return false
	}
	*issues = append(*issues, ValidationIssue{
		Loc:  loc("query", name),
		Msg:  "Input should be a valid boolean, unable to interpret input",
		Type: "bool_parsing",
	})
	return false
}
