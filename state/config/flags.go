package config

import (
	"github.com/spf13/pflag"
)

// configFlag is the flag naming the config file.
const configFlag = "config"

// RegisterFlags adds to fs the --config flag and the flag of every key
// whose commands include cmds (QueryCommands|ServeCommand for both), with
// the key's help and default. A flag fs already has is left as it is, so
// calling it again is harmless. Load reads them back from the same
// FlagSet; only the flags the user set override the file and the
// environment.
func RegisterFlags(fs *pflag.FlagSet, cmds Commands) {
	if fs.Lookup(configFlag) == nil {
		fs.String(configFlag, "", "config file (default $"+envPath+", else the user config dir's usagetop/config.toml)")
	}
	for i := range keys {
		k := &keys[i]
		if k.Flag == "" || k.Commands&cmds == 0 || fs.Lookup(k.Flag) != nil {
			continue
		}
		usage := k.Usage
		if k.Default != "" && k.Type != typeBool {
			usage += " (default " + k.Default + ")"
		}
		fl := fs.VarPF(&flagValue{key: k}, k.Flag, "", usage)
		if k.Type == typeBool {
			fl.NoOptDefVal = "true"
		}
	}
}

// flagValue is a key's flag. Set reads the text into the key's type once;
// a bad value is kept and reported by Load with every other problem of
// the configuration, in the same words as a bad value in the file.
type flagValue struct {
	key  *spec
	text string
	v    any
	msg  string
}

func (f *flagValue) Set(s string) error {
	f.text = s
	f.v, f.msg = f.key.parseText(s)
	return nil
}

func (f *flagValue) String() string { return f.text }

func (f *flagValue) Type() string {
	switch f.key.Type {
	case typeInt:
		return "int"
	case typeBool:
		return "bool"
	}
	return "string"
}

// IsBoolFlag lets a true-or-false flag be given without a value.
func (f *flagValue) IsBoolFlag() bool { return f.key.Type == typeBool }

// lookupFlag finds a flag in fs, which may be nil.
func lookupFlag(fs *pflag.FlagSet, name string) *pflag.Flag {
	if fs == nil || name == "" {
		return nil
	}
	return fs.Lookup(name)
}

// flagResult is the value a set flag holds for k, or what is wrong with it.
// A flag not made by RegisterFlags is read from its text.
func flagResult(k *spec, fl *pflag.Flag) (any, string) {
	if fv, ok := fl.Value.(*flagValue); ok {
		return fv.v, fv.msg
	}
	return k.parseText(fl.Value.String())
}
