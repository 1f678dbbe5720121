package connapi

// Ptr returns a pointer to v, for the optional fields of the Params and Request
// types and of the models: connapi.Ptr(true), connapi.Ptr("x"). It is the same
// function as models.Ptr, which stays for code that imports the models alone.
func Ptr[T any](v T) *T { return &v }
