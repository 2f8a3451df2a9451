package state

import "strings"

// ShellQuote returns arg as one word for a POSIX shell (sh, bash, zsh, dash): unchanged when it
// consists only of characters no shell treats specially, else in single quotes, inside which
// nothing is special; a single quote inside is written as close-quote, backslash-quote,
// reopen-quote:
//
//	it's  ->  'it'\''s'
//
// A newline inside single quotes is part of the word. The empty string becomes a pair of quotes.
func ShellQuote(arg string) string {
	if arg == "" {
		return "''"
	}
	safe := true
	for _, r := range arg {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@%+=:,./_-", r)) {
			safe = false
			break
		}
	}
	if safe {
		return arg
	}
	return "'" + strings.ReplaceAll(arg, "'", `'\''`) + "'"
}

// ShellJoin quotes every argument with ShellQuote and joins them with spaces: a command line that a
// POSIX shell splits back into exactly args, running nothing else.
func ShellJoin(args ...string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = ShellQuote(a)
	}
	return strings.Join(q, " ")
}
