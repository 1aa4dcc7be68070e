using CredentialFunctions.Application.Renewal;
using Microsoft.DurableTask.Client;

namespace CredentialFunctions.App;

/// <summary>
/// Makes the renewal windows around the [DurableClient] a function was handed (in Azure that client
/// exists only as a binding). One seam in the container, so tests of the HTTP functions alone can
/// record what the windows are told instead of running orchestrations.
/// </summary>
public delegate IRenewalWindows RenewalWindowsFactory(DurableTaskClient client);
