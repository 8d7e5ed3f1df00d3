package provider

import (
	"os"
	"path/filepath"
	"strings"
)

// Leak probes: traced CLI runs and a search for secrets in every file and
// output they leave.

// tracedSteps are the runs of the leak probes, each with TF_LOG=trace written
// to its log file: a saved plan, its apply, and a plan that must be empty.
var tracedSteps = []struct {
	log  string
	args []string
}{
	{"plan.log", []string{"plan", "-out=tfplan"}},
	{"apply.log", []string{"apply", "tfplan"}},
	{"replan.log", []string{"plan", "-detailed-exitcode"}},
}

// runTraced runs tracedSteps, failing on a non-zero exit, calls after(i)
// after step i (nil for none), then saves a second plan (tfplan2). It returns
// the CLI output of tracedSteps.
func (w *cliWorkspace) runTraced(after func(i int, args []string)) string {
	w.t.Helper()
	var outputs strings.Builder
	for i, step := range tracedSteps {
		out, code := w.run([]string{"TF_LOG=trace", "TF_LOG_PATH=" + filepath.Join(w.dir, step.log)}, step.args...)
		if code != 0 {
			w.t.Fatalf("%v exited %d:\n%s", step.args, code, out)
		}
		outputs.WriteString(out)
		if after != nil {
			after(i, step.args)
		}
	}
	w.mustRun(0, "plan", "-out=tfplan2")
	return outputs.String()
}

// checkEverywhere checks with f every text runTraced left: its CLI output,
// the state (and its backup), both saved plans, `show -json` of the second
// plan and of the state, and each trace log, which must mention each of
// markers (so that an empty or foreign log cannot pass).
func (w *cliWorkspace) checkEverywhere(f *secretFinder, outputs string, markers ...string) {
	w.t.Helper()
	f.check("the CLI output", outputs)
	f.check("terraform.tfstate", w.read("terraform.tfstate"))
	f.check("the saved plan tfplan", zipText(w.t, filepath.Join(w.dir, "tfplan")))
	f.check("the saved plan tfplan2", zipText(w.t, filepath.Join(w.dir, "tfplan2")))
	f.check("show -json of the plan", w.mustRun(0, "show", "-json", "tfplan2"))
	f.check("show -json of the state", w.mustRun(0, "show", "-json"))
	for _, step := range tracedSteps {
		text := w.read(step.log)
		for _, m := range markers {
			if !strings.Contains(text, m) {
				w.t.Errorf("%s does not look like a trace log of this run (%d bytes, no %q)", step.log, len(text), m)
			}
		}
		f.check(step.log, text)
	}
	if _, err := os.Stat(filepath.Join(w.dir, "terraform.tfstate.backup")); err == nil {
		f.check("terraform.tfstate.backup", w.read("terraform.tfstate.backup"))
	}
}
