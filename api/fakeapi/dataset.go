package fakeapi

// Dataset is a fixed set of records served instead of the generator.
type Dataset struct{}

// LoadDataset reads a dataset from a JSON file.
func LoadDataset(path string) (*Dataset, error) { return &Dataset{}, nil }
