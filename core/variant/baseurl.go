package variant

import (
	"fmt"
	"net/url"
	"strings"
)

// EnvBaseURL names the environment variable holding the published demo's address (make site's
// BASE_URL): with it, the CLI's "link" is that address followed by Link's fragment, a link anyone
// can open; without it, the fragment alone (to be appended to wherever the demo is served).
const EnvBaseURL = "RESNETPRUNE_BASE_URL"

// BaseURL checks and normalises a published demo's address: an absolute http(s) URL without user,
// query or fragment; its path gets a trailing slash so that a fragment or a relative file name can
// be appended. The empty string stays empty (no published copy).
func BaseURL(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("base URL %q: want an absolute http(s) address without query or fragment, like https://user.github.io/repo/", s)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	return u.String(), nil
}
