// Package config is usagetop's configuration: defaults, then the TOML file,
// then the environment, then command-line flags, each overriding the one
// before, validated, with the source of every value kept for
// `usagetop config check`.
//
// One table of keys (keys.go) drives all of it: the file's schema and its
// decoder, the environment variables, the flags registered with
// RegisterFlags, the report, and the test that config.example.toml
// documents every key. A new setting is one entry in that table.
//
// Reading the config file is the only I/O here, and no value, error or
// report ever holds a secret.
package config
