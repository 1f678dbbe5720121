package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"strings"
	"sync"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	connapi "github.com/connapi/connapi-go"
	"github.com/connapi/connapi-go/cmd/connapi/internal/output"
)

// call is one run of a per-operation command: its account's client and the
// printer. Build it with app.begin once the command's own input is checked.
type call struct {
	a       *app
	cmd     *cobra.Command
	ctx     context.Context
	acc     account
	c       *connapi.Client
	printer *output.Printer
}

// begin resolves the platform's account and client and the output printer. It
// sends nothing.
func (a *app) begin(cmd *cobra.Command, platform connapi.Platform) (*call, error) {
	p, err := a.printer()
	if err != nil {
		return nil, err
	}
	acc, err := a.account(platform)
	if err != nil {
		return nil, err
	}
	c, err := a.client(acc)
	if err != nil {
		return nil, err
	}
	return &call{a: a, cmd: cmd, ctx: cmd.Context(), acc: acc, c: c, printer: p}, nil
}

// namespace returns the Instill namespace: --namespace, CONNAPI_INSTILL_NAMESPACE
// or the profile's.
func (k *call) namespace() (string, error) {
	if k.acc.namespace == "" {
		return "", usagef("no Instill AI namespace: pass --namespace, set CONNAPI_INSTILL_NAMESPACE, or set it in the profile (connapi config set namespace NAME)")
	}
	return k.acc.namespace, nil
}

// one prints a single result.
func (k *call) one(v any, cols []output.Column) error { return k.printer.One(v, cols) }

// done prints the result of a call that returns no body: a short JSON object on
// non-terminals, a line on terminals.
func (k *call) done(resp *connapi.Response, what string) error {
	status := 0
	rid := ""
	if resp != nil {
		status, rid = resp.StatusCode, resp.RequestID
	}
	return k.printer.One(ack{Result: what, Status: status, RequestID: rid}, ackColumns)
}

// ack is the output of a call whose answer carries nothing to print.
type ack struct {
	Result    string `json:"result"`
	Status    int    `json:"status,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

var ackColumns = []output.Column{
	output.Col("RESULT", func(v ack) string { return v.Result }),
	output.Col("STATUS", func(v ack) string { return fmt.Sprint(v.Status) }),
	output.Col("REQUEST ID", func(v ack) string { return v.RequestID }),
}

// page prints the items of one page, and says on a terminal how to get more.
func page[T any](k *call, items []T, cols []output.Column, next string) error {
	list := k.printer.List(cols)
	for _, it := range items {
		if err := list.Add(it); err != nil {
			return err
		}
	}
	if err := list.Close(); err != nil {
		return err
	}
	if next != "" && k.a.env.StderrTTY {
		k.a.warnf(k.cmd, "more results: pass --all, or %s", next)
	}
	return nil
}

// offsetHint is how to get the page after one of an offset-paged list: the
// server's has_more or total when it sends them, else a full page (a page of
// limit items) may be followed by more. "" when nothing follows.
func offsetHint(offset, limit, got int, hasMore *bool, total *int) string {
	var more bool
	switch {
	case hasMore != nil:
		more = *hasMore
	case total != nil:
		more = offset+got < *total
	default:
		more = limit > 0 && got >= limit
	}
	if !more || got == 0 {
		return ""
	}
	return fmt.Sprintf("--offset %d", offset+got)
}

// stream prints every item of seq as it comes (--all), with a progress bar on a
// terminal.
func stream[T any](k *call, seq iter.Seq2[T, error], cols []output.Column) error {
	bar := k.a.progress("fetching", -1)
	defer bar.done()
	list := k.printer.List(cols)
	for it, err := range seq {
		if err != nil {
			bar.done()
			_ = list.Close()
			return err
		}
		bar.add(1)
		if err := list.Add(it); err != nil {
			return err
		}
	}
	bar.done()
	return list.Close()
}

// bodyFlag is the --body flag: "@file.json", "-" for stdin, or JSON itself.
type bodyFlag struct {
	spec string
	data []byte // what was read, so that a second decode sees it too
	read bool
}

func addBody(fs *pflag.FlagSet, b *bodyFlag, what string) {
	fs.StringVar(&b.spec, "body", "", "the request body ("+what+"): @file.json, - for stdin, or the JSON itself; flags override its fields")
}

// decode reads the body into v, refusing unknown fields; nothing when --body is
// absent. Any problem is a usage error.
func (b *bodyFlag) decode(stdin io.Reader, v any) error {
	if b.spec == "" {
		return nil
	}
	var err error
	src := "--body"
	switch {
	case b.spec == "-":
		src = "--body - (stdin)"
		if stdin == nil {
			return usagef("--body -: no standard input")
		}
		if t, ok := stdin.(*trackedReader); ok && t.used && !b.read {
			return usagef("--body -: standard input is already read (by --password-stdin); give the body with --body @file or as JSON")
		}
		if !b.read {
			b.data, err = io.ReadAll(io.LimitReader(stdin, 16<<20))
		}
	case strings.HasPrefix(b.spec, "@"):
		src = "--body " + b.spec
		if !b.read {
			b.data, err = os.ReadFile(b.spec[1:])
		}
	default:
		b.data = []byte(b.spec)
	}
	if err != nil {
		return usagef("%s: %v", src, err)
	}
	b.read = true
	// Every request body is an object: null would decode as an empty one (an
	// update of nothing, a configuration replaced by nothing).
	if t := bytes.TrimSpace(b.data); bytes.Equal(t, []byte("null")) {
		return usagef("%s is not a valid request body: a JSON object is needed, not null", src)
	}
	dec := json.NewDecoder(bytes.NewReader(b.data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return usagef("%s is not a valid request body: %v", src, err)
	}
	if dec.More() {
		return usagef("%s is not a valid request body: more than one JSON value", src)
	}
	return nil
}

// jsonFlag parses a flag holding a JSON object (--data '{"k": "v"}').
func jsonFlag(name, value string) (map[string]any, error) {
	var m map[string]any
	if err := json.Unmarshal([]byte(value), &m); err != nil || m == nil {
		return nil, usagef("--%s must be a JSON object: %v", name, err)
	}
	return m, nil
}

// ids returns the IDs of a bulk command: its arguments, or with "-" the lines
// of stdin (blank lines and # comments skipped).
func (a *app) ids(args []string) (ids []string, fromStdin bool, err error) {
	if len(args) == 0 {
		return nil, false, usagef("no ID given: pass one or more IDs, or - to read them from stdin")
	}
	for _, arg := range args {
		if arg != "-" {
			ids = append(ids, arg)
			continue
		}
		if fromStdin {
			return nil, false, usagef("- given twice")
		}
		fromStdin = true
		if a.stdin != nil && a.stdin.used {
			return nil, false, usagef("-: standard input is already read (by --password-stdin); give the IDs as arguments")
		}
		sc := bufio.NewScanner(a.env.Stdin)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			ids = append(ids, line)
		}
		if err := sc.Err(); err != nil {
			return nil, false, usagef("reading IDs from stdin: %v", err)
		}
	}
	if len(ids) == 0 {
		return nil, false, usagef("no ID given on stdin")
	}
	return ids, fromStdin, nil
}

// deleteFlags are the flags of every bulk delete.
type deleteFlags struct {
	dryRun   bool
	yes      bool
	parallel int
}

func addDeleteFlags(fs *pflag.FlagSet, f *deleteFlags) {
	fs.BoolVar(&f.dryRun, "dry-run", false, "print what would be deleted and send nothing")
	fs.BoolVarP(&f.yes, "yes", "y", false, "do not ask for confirmation (required when stdin is not a terminal)")
	fs.IntVar(&f.parallel, "parallel", 4, "deletions run at once")
}

const deleteUsage = `Delete one or more objects: IDs as arguments, or - to read them from stdin, one
per line. On a terminal it asks before deleting; elsewhere it needs --yes.
--dry-run prints what would be deleted and sends nothing. A failure never stops
the others; the summary on stderr counts deleted, not found and failed, and the
exit code is 5 when any of several failed (the error's own code for one ID).`

// deleteResult is one line of a bulk delete's output.
type deleteResult struct {
	ID     string `json:"id"`
	Result string `json:"result"` // deleted, accepted, not found, failed, would delete
	Error  string `json:"error,omitempty"`
}

var deleteColumns = []output.Column{
	output.Col("ID", func(r deleteResult) string { return r.ID }),
	output.Col("RESULT", func(r deleteResult) string { return r.Result }),
	output.Col("ERROR", func(r deleteResult) string { return r.Error }),
}

// bulkDelete deletes ids with del, at most f.parallel at once, printing one
// result per ID in the order given. what names the objects ("Stack AI
// connections"). del returns the response of the deletion, and an error.
func (a *app) bulkDelete(cmd *cobra.Command, platform connapi.Platform, args []string, f *deleteFlags, what string,
	del func(k *call, id string) (*connapi.Response, error)) error {
	if f.parallel < 1 || f.parallel > 64 {
		return usagef("--parallel must be between 1 and 64, not %d", f.parallel)
	}
	ids, fromStdin, err := a.ids(args)
	if err != nil {
		return err
	}
	k, err := a.begin(cmd, platform)
	if err != nil {
		return err
	}
	if platform == connapi.PlatformInstill { // its connections live in a namespace
		if _, err := k.namespace(); err != nil {
			return err
		}
	}
	if f.dryRun {
		list := k.printer.List(deleteColumns)
		for _, id := range ids {
			if err := list.Add(deleteResult{ID: id, Result: "would delete"}); err != nil {
				return err
			}
		}
		if err := list.Close(); err != nil {
			return err
		}
		a.stderrf("%s: dry run: would delete %d %s (profile %s); nothing sent\n", cmd.CommandPath(), len(ids), what, orDefault(k.acc.profile))
		return nil
	}
	if !f.yes {
		if !a.env.StdinTTY || fromStdin {
			return usagef("refusing to delete %d %s without --yes: standard input is not a terminal to confirm on (--dry-run shows what would go)", len(ids), what)
		}
		a.stderrf("Delete %d %s (profile %s)? [y/N] ", len(ids), what, orDefault(k.acc.profile))
		answer, _ := readLine(a.env.Stdin)
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			return usagef("not confirmed: nothing deleted")
		}
	}

	bar := a.progress("deleting", int64(len(ids)))
	defer bar.done()
	// f.parallel workers take the IDs in order; the results are printed in that
	// order too, each as soon as it and those before it are in.
	results := make([]chan deleteResult, len(ids))
	for i := range results {
		results[i] = make(chan deleteResult, 1)
	}
	errs := make([]error, len(ids))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(f.parallel, len(ids)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				id := ids[i]
				r := deleteResult{ID: id, Result: "deleted"}
				resp, err := del(k, id)
				switch {
				case err == nil && resp != nil && resp.StatusCode == 202:
					r.Result = "accepted"
				case err == nil:
				case errors.Is(err, connapi.ErrNotFound):
					r.Result, r.Error = "not found", errorLine(err)
				default:
					r.Result, r.Error = "failed", errorLine(err)
				}
				errs[i] = err
				bar.add(1)
				results[i] <- r
			}
		}()
	}
	go func() {
		defer close(next)
		for i := range ids {
			next <- i
		}
	}()
	list := k.printer.List(deleteColumns)
	var deleted, notFound, failed int
	var printErr error
	for i := range ids {
		r := <-results[i]
		switch r.Result {
		case "not found":
			notFound++
		case "failed":
			failed++
		default:
			deleted++
		}
		if r.Error != "" {
			a.warnf(cmd, "%s: %s", r.ID, r.Error)
		}
		if printErr == nil {
			printErr = list.Add(r)
		}
	}
	wg.Wait()
	bar.done()
	if err := list.Close(); printErr == nil {
		printErr = err
	}
	a.stderrf("%s: %d deleted, %d not found, %d failed\n", cmd.CommandPath(), deleted, notFound, failed)
	if printErr != nil {
		return printErr
	}
	if notFound+failed == 0 {
		return nil
	}
	if len(ids) == 1 {
		return &partialError{code: exitCode(errs[0])}
	}
	return &partialError{code: ExitPartial}
}

func orDefault(profile string) string {
	if profile == "" {
		return "from flags and environment"
	}
	return profile
}

// runOne resolves the platform's account and client, calls f, and prints what it
// returns with cols (YAML for a table when cols is nil).
func runOne(a *app, cmd *cobra.Command, platform connapi.Platform, cols []output.Column, f func(k *call) (any, error)) error {
	k, err := a.begin(cmd, platform)
	if err != nil {
		return err
	}
	v, err := f(k)
	if err != nil {
		return err
	}
	return k.one(v, cols)
}

// alias makes --from another name of the flag --to of fs. Flags are named after
// the SDK's fields (--resource-ids for ResourceIDs); an alias keeps the singular
// that reads better when the flag is repeated.
func alias(fs *pflag.FlagSet, from, to string) {
	prev := fs.GetNormalizeFunc()
	fs.SetNormalizeFunc(func(f *pflag.FlagSet, name string) pflag.NormalizedName {
		if name == from {
			name = to
		}
		return prev(f, name)
	})
}

// onePageAll gives a list whose answer is never paged the --all flag every list
// takes, so that scripts can pass it everywhere.
func onePageAll(cmd *cobra.Command) {
	cmd.Flags().Bool("all", false, "accepted for symmetry: the answer is never paged")
}
