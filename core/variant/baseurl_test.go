package variant

import "testing"

func TestBaseURL(t *testing.T) {
	for in, want := range map[string]string{
		"":                                "",
		"https://user.github.io/repo":     "https://user.github.io/repo/",
		"https://user.github.io/repo/":    "https://user.github.io/repo/",
		"https://user.github.io":          "https://user.github.io/",
		"http://127.0.0.1:8080":           "http://127.0.0.1:8080/",
		"https://example.org/a/sub/path/": "https://example.org/a/sub/path/",
	} {
		got, err := BaseURL(in)
		if err != nil || got != want {
			t.Errorf("BaseURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"user.github.io/repo", "/repo/", "ftp://h/r/", "https:///r/", "https://h/r/?x=1", "https://h/r/#m", "https://u:p@h/r/", "javascript:alert(1)", "%zz"} {
		if got, err := BaseURL(bad); err == nil {
			t.Errorf("BaseURL(%q) = %q, want an error", bad, got)
		}
	}
}
