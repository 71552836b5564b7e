// Package slug holds the rules for organization slugs: 3-48 characters of
// lowercase letters, digits and single hyphens between them, globally
// unique. CheckSlug and Create share them so they can never disagree.
package slug

import "regexp"

// Length limits of a slug.
const (
	MinLength = 3
	MaxLength = 48
)

var pattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Problem returns why s cannot be a slug, or "" when it can (uniqueness
// aside, which needs the database).
func Problem(s string) string {
	switch {
	case len(s) < MinLength:
		return "a slug has at least 3 characters"
	case len(s) > MaxLength:
		return "a slug has at most 48 characters"
	case !pattern.MatchString(s):
		return "a slug has only lowercase letters, digits and single hyphens between them"
	}
	return ""
}
