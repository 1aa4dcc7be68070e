using System.Runtime.CompilerServices;

// The check-symbol algebra is tested directly, table by table, not only through whole ids.
[assembly: InternalsVisibleTo("CredentialFunctions.Domain.Tests")]
