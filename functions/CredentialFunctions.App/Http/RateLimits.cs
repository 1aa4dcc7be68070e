using System.Net;
using System.Threading.RateLimiting;
using CredentialFunctions.Application.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace CredentialFunctions.App.Http;

/// <summary>
/// Token buckets per client: anonymous requests per client address, so verification cannot be used
/// to enumerate ids at speed, and writes per signed-in caller, so one account (or one leaked token)
/// cannot flood the store. Per instance: a global limit belongs in front of the app (API Management
/// or Front Door).
/// </summary>
public sealed class RateLimits(IOptions<RateLimits.Options> options) : IDisposable
{
    public sealed class Options
    {
        public const string Section = "RateLimit";

        /// <summary>Anonymous requests per client address per minute.</summary>
        public int RequestsPerMinute { get; set; } = 120;

        /// <summary>POST, PUT, PATCH and DELETE requests per signed-in caller per minute.</summary>
        public int WritesPerMinutePerCaller { get; set; } = 60;
    }

    private readonly PartitionedRateLimiter<string> _anonymous = PerMinute(options.Value.RequestsPerMinute);
    private readonly PartitionedRateLimiter<string> _writes = PerMinute(options.Value.WritesPerMinutePerCaller);

    /// <summary>Null when admitted; otherwise how long to wait.</summary>
    public TimeSpan? TryAcquireAnonymous(HttpContext context) => TryAcquire(_anonymous, ClientAddressOf(context));

    /// <summary>Null when admitted or not a write; otherwise how long to wait.</summary>
    public TimeSpan? TryAcquireWrite(HttpContext context, Caller caller)
        => HttpMethods.IsPost(context.Request.Method) || HttpMethods.IsPut(context.Request.Method)
           || HttpMethods.IsPatch(context.Request.Method) || HttpMethods.IsDelete(context.Request.Method)
            ? TryAcquire(_writes, caller.Id)
            : null;

    /// <summary>
    /// The address the platform vouches for, never a header the client wrote. On Azure Functions the
    /// App Service front end appends the address that connected to it, with its port, as the last
    /// X-Forwarded-For entry; the worker's ASP.NET Core integration runs the forwarded-headers
    /// middleware, which trusts only its loopback peer (the Functions host), so it takes exactly that
    /// last entry, strips the port into RemoteIpAddress and leaves the client's own entries behind.
    /// The local host runs the same middleware; with no proxy in front it sees the socket's peer.
    /// </summary>
    private static string ClientAddressOf(HttpContext context)
        => context.Connection.RemoteIpAddress is { } address
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : IPAddress.None.ToString();

    private static TimeSpan? TryAcquire(PartitionedRateLimiter<string> limiter, string key)
    {
        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
    }

    private static PartitionedRateLimiter<string> PerMinute(int permits) => PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = permits,
            TokensPerPeriod = permits,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public void Dispose()
    {
        _anonymous.Dispose();
        _writes.Dispose();
    }
}
