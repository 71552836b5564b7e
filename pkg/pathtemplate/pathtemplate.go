// Package pathtemplate renders and checks the object-key templates of origins
// and outputs ({date}, {job_id}, {output_id}, {codec}, {resolution}) and
// refuses paths that could escape their prefix.
package pathtemplate

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"time"
)

// TemplateVars are the values path templates may use.
type TemplateVars struct {
	Date       time.Time
	JobID      string
	OutputID   string
	Codec      string
	Resolution string
}

// DefaultPathTemplate is used when neither the job, the output nor the
// origin sets one.
const DefaultPathTemplate = "{job_id}/{output_id}"

var varPattern = regexp.MustCompile(`\{([^{}]*)\}`)

// KnownVariables are the variables a path template may use.
var KnownVariables = []string{"date", "job_id", "output_id", "codec", "resolution"}

// CheckTemplate reports the first problem with a path template: an unknown
// variable, a brace that does not close, or a path that could escape its
// prefix (absolute, "..", empty segments).
func CheckTemplate(tmpl string) error {
	if strings.Count(tmpl, "{") != strings.Count(tmpl, "}") {
		return fmt.Errorf("unbalanced braces")
	}
	for _, m := range varPattern.FindAllStringSubmatch(tmpl, -1) {
		known := false
		for _, k := range KnownVariables {
			known = known || m[1] == k
		}
		if !known {
			return fmt.Errorf("unknown variable {%s}; allowed: {%s}", m[1], strings.Join(KnownVariables, "}, {"))
		}
	}
	return CheckPath(varPattern.ReplaceAllString(tmpl, "x"))
}

// CheckPath refuses object paths that could escape a prefix.
func CheckPath(p string) error {
	if p == "" {
		return nil
	}
	if strings.HasPrefix(p, "/") {
		return fmt.Errorf("must be relative (no leading /)")
	}
	if strings.Contains(p, "\\") {
		return fmt.Errorf("must not contain backslashes")
	}
	for _, seg := range strings.Split(strings.TrimSuffix(p, "/"), "/") {
		switch seg {
		case "":
			return fmt.Errorf("must not contain empty path segments")
		case ".", "..":
			return fmt.Errorf("must not contain %q segments", seg)
		}
	}
	return nil
}

// Render fills a checked template.
func Render(tmpl string, v TemplateVars) string {
	if tmpl == "" {
		tmpl = DefaultPathTemplate
	}
	return varPattern.ReplaceAllStringFunc(tmpl, func(m string) string {
		switch m[1 : len(m)-1] {
		case "date":
			return v.Date.UTC().Format("2006-01-02")
		case "job_id":
			return v.JobID
		case "output_id":
			return v.OutputID
		case "codec":
			return v.Codec
		case "resolution":
			return v.Resolution
		}
		return m
	})
}

// ObjectKey joins an origin's base path and a rendered template with the
// file extension.
func ObjectKey(basePath, rendered, ext string) string {
	key := path.Join(strings.Trim(basePath, "/"), strings.Trim(rendered, "/"))
	if ext != "" {
		key += "." + ext
	}
	return key
}
