package pathtemplate

import (
	"strings"
	"testing"
	"time"
)

func TestCheckTemplate(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"", "{job_id}/{output_id}", "videos/{date}/{job_id}_{resolution}.{codec}"} {
		if err := CheckTemplate(ok); err != nil {
			t.Errorf("CheckTemplate(%q) = %v", ok, err)
		}
	}
	for bad, sub := range map[string]string{
		"{job}/x":         "unknown variable {job}",
		"../{job_id}":     `".."`,
		"/abs/{job_id}":   "relative",
		"a//{job_id}":     "empty",
		"{job_id":         "unbalanced",
		"a/./b":           `"."`,
		"x\\..\\{job_id}": "backslash",
	} {
		if err := CheckTemplate(bad); err == nil || !strings.Contains(err.Error(), sub) {
			t.Errorf("CheckTemplate(%q) = %v, want %q", bad, err, sub)
		}
	}
	got := Render("{date}/{job_id}/{output_id}_{resolution}_{codec}", TemplateVars{
		Date: time.Date(2026, 1, 15, 23, 0, 0, 0, time.UTC), JobID: "job_1", OutputID: "out_2", Codec: "h264", Resolution: "720p",
	})
	if got != "2026-01-15/job_1/out_2_720p_h264" {
		t.Fatalf("Render = %q", got)
	}
	if k := ObjectKey("/media/out/", "job_1/out_2", "mp4"); k != "media/out/job_1/out_2.mp4" {
		t.Fatalf("ObjectKey = %q", k)
	}
	if k := ObjectKey("", Render("", TemplateVars{JobID: "job_1", OutputID: "out_2"}), "mp4"); k != "job_1/out_2.mp4" {
		t.Fatalf("default key = %q", k)
	}
}
