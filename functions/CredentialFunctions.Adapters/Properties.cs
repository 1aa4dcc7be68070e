using System.Runtime.CompilerServices;

// The document writer's buffer reuse is tested directly, on one thread, where a store call may hop threads.
[assembly: InternalsVisibleTo("CredentialFunctions.Integration.Tests")]
