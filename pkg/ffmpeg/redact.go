package ffmpeg

import (
	"net/url"
	"regexp"
	"strings"
)

// redactedMark replaces secrets. It is plain ASCII so redacted URLs stay
// valid and readable in logs.
const redactedMark = "REDACTED"

// RedactURL returns s with the parts of a URL that may carry credentials
// replaced: the whole query string (presigned URLs put X-Amz-Signature,
// X-Amz-Credential, X-Goog-Signature, sig=... there), the fragment and any
// user info. Local paths and other strings without a URL are returned
// unchanged; URLs embedded in longer text are redacted too.
func RedactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" || u.Opaque != "" || strings.ContainsAny(s, " \t\r\n") {
		return redactText(s)
	}
	if u.User != nil {
		u.User = url.User(redactedMark)
	}
	if u.RawQuery != "" || u.ForceQuery {
		u.RawQuery = redactedMark
		u.ForceQuery = false
	}
	u.Fragment, u.RawFragment = "", ""
	return u.String()
}

// urlInText matches scheme://[userinfo@]rest[?query][#fragment] inside free
// text such as an ffmpeg error line. The query runs to the next whitespace or
// quote: over-redacting a trailing ": error" is better than leaking a
// signature.
var urlInText = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.\-]*://)([^\s/?#@'"]*@)?([^\s?#'"]*)(\?[^\s#'"]*)?(#[^\s'"]*)?`)

// redactText redacts every URL found in s (see RedactURL).
func redactText(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	return urlInText.ReplaceAllStringFunc(s, func(m string) string {
		sub := urlInText.FindStringSubmatch(m)
		var b strings.Builder
		b.WriteString(sub[1])
		if sub[2] != "" {
			b.WriteString(redactedMark + "@")
		}
		b.WriteString(sub[3])
		if sub[4] != "" {
			b.WriteString("?" + redactedMark)
		}
		return b.String()
	})
}

// redactArgs returns a copy of a command line with every URL redacted.
func redactArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = redactText(a)
	}
	return out
}
