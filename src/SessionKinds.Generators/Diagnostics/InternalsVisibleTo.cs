using System.Runtime.CompilerServices;

// The code fix assembly reuses the diagnostic IDs, descriptors and the session kind attribute table;
// the tests reflect over the descriptors and call the analyzers' helpers.
[assembly: InternalsVisibleTo("SessionKinds.CodeFixes")]
[assembly: InternalsVisibleTo("SessionKinds.Generators.Tests")]
