using System.Runtime.CompilerServices;

// The generator tests drive the parser and emitter directly and read the pipeline's tracking names.
[assembly: InternalsVisibleTo("SessionKinds.Generators.Tests")]
