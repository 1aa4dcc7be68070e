using System.Net;
using CredentialFunctions.Application.Payments;
using CredentialFunctions.Domain;
using CredentialFunctions.Domain.Payments;
using Stripe;
using Stripe.Checkout;

namespace CredentialFunctions.Adapters.Payments;

/// <summary>
/// Stripe behind the payment port: a hosted Checkout Session per application's fee, and webhook
/// deliveries verified and parsed by Stripe.net's own <see cref="EventUtility"/>.
/// </summary>
public sealed class StripePaymentProvider : IPaymentProvider
{
    public const string ProviderName = "stripe";

    /// <summary>The named HttpClient Stripe.net sends through: tests give it a handler that answers like Stripe.</summary>
    public const string HttpClientName = "Stripe";

    /// <summary>The metadata key that carries the application id on the session and its payment intent.</summary>
    public const string ApplicationIdKey = "application_id";

    /// <summary>Stripe's default (EventUtility's too): how old a delivery's signed timestamp may be, against replays.</summary>
    private const long SignatureToleranceSeconds = 300;

    private readonly SessionService _sessions;
    private readonly string _webhookSecret;
    private readonly TimeProvider _time;

    public StripePaymentProvider(StripeOptions options, HttpClient httpClient, TimeProvider time)
    {
        var client = new StripeClient(new StripeClientOptions
        {
            ApiKey = options.SecretKey,
            HttpClient = new SystemNetHttpClient(httpClient, options.MaxNetworkRetries),
        });
        _sessions = new SessionService(client);
        _webhookSecret = options.WebhookSecret;
        _time = time;
    }

    public string Name => ProviderName;

    public async Task<CheckoutSession> StartCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken)
    {
        var metadata = new Dictionary<string, string> { [ApplicationIdKey] = request.ApplicationId };
        var options = new SessionCreateOptions
        {
            Mode = "payment",
            ClientReferenceId = request.ApplicationId,
            CustomerEmail = request.CandidateEmail,
            SuccessUrl = WithQuery(request.ReturnUrl, "checkout=succeeded&session_id={CHECKOUT_SESSION_ID}"),
            CancelUrl = WithQuery(request.ReturnUrl, "checkout=cancelled"),
            LineItems =
            [
                new SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new SessionLineItemPriceDataOptions
                    {
                        Currency = request.Fee.Currency.ToLowerInvariant(),
                        UnitAmount = request.Fee.MinorUnits,
                        ProductData = new SessionLineItemPriceDataProductDataOptions { Name = request.ProgramName },
                    },
                },
            ],
            Metadata = metadata,
            // A refund names only the payment intent, so the application id travels with it too.
            PaymentIntentData = new SessionPaymentIntentDataOptions { Metadata = new Dictionary<string, string>(metadata) },
        };
        // A retried request (ours or Stripe.net's) answers the session the first one made. The fee is
        // part of the key: a program whose fee changed gets a new session instead of Stripe's
        // idempotency_error for the same key with other parameters.
        var requestOptions = new RequestOptions { IdempotencyKey = $"checkout-{request.ApplicationId}-{request.Fee.MinorUnits}{request.Fee.Currency}" };

        Session session;
        try
        {
            session = await _sessions.CreateAsync(options, requestOptions, cancellationToken);
        }
        catch (StripeException e)
        {
            throw new PaymentProviderException(
                $"Stripe refused to start checkout for application '{request.ApplicationId}' ({(int)e.HttpStatusCode} {e.StripeError?.Type}/{e.StripeError?.Code}): {e.StripeError?.Message ?? e.Message}",
                isTransient: IsTransient(e.HttpStatusCode), e);
        }
        catch (HttpRequestException e)
        {
            throw new PaymentProviderException($"Stripe could not be reached to start checkout for application '{request.ApplicationId}': {e.Message}", isTransient: true, e);
        }

        return new CheckoutSession(session.Id, new Uri(session.Url), new DateTimeOffset(DateTime.SpecifyKind(session.ExpiresAt, DateTimeKind.Utc)));
    }

    public PaymentNotice? ReadNotice(string payload, string? signature)
    {
        if (string.IsNullOrWhiteSpace(signature)) throw new PaymentSignatureException("The Stripe-Signature header is missing.");

        Event stripeEvent;
        try
        {
            // The clock is ours, so the tolerance is measured against TimeProvider. The payload's
            // api_version is the endpoint's, chosen in Stripe's dashboard; what is read below is
            // stable across versions, so a version other than Stripe.net's own is not refused.
            stripeEvent = EventUtility.ConstructEvent(
                payload, signature, _webhookSecret, SignatureToleranceSeconds, _time.GetUtcNow().ToUnixTimeSeconds(), throwOnApiVersionMismatch: false);
        }
        catch (StripeException e)
        {
            throw new PaymentSignatureException($"The Stripe-Signature header does not verify: {e.Message}");
        }
        // Stripe.net reads the envelope with System.Text.Json and the object it carries with Newtonsoft.
        catch (Exception e) when (e is System.Text.Json.JsonException or Newtonsoft.Json.JsonException)
        {
            throw NotAnEvent($"The payload is not a Stripe event: {e.Message}");
        }

        if (stripeEvent.Object != "event" || string.IsNullOrEmpty(stripeEvent.Id) || string.IsNullOrEmpty(stripeEvent.Type))
            throw NotAnEvent("The payload is not a Stripe event: it needs object \"event\", an id and a type.");

        return stripeEvent.Type switch
        {
            EventTypes.CheckoutSessionCompleted => FromSession(stripeEvent, Session(stripeEvent).PaymentStatus switch
            {
                "paid" => PaymentNoticeKind.Succeeded,
                // A bank debit: the money comes later, with async_payment_succeeded or _failed.
                "unpaid" => PaymentNoticeKind.Pending,
                // Only a session that takes no payment (setup mode, a zero total): never one of ours.
                _ => null,
            }),
            EventTypes.CheckoutSessionAsyncPaymentSucceeded => FromSession(stripeEvent, PaymentNoticeKind.Succeeded),
            EventTypes.CheckoutSessionAsyncPaymentFailed => FromSession(stripeEvent, PaymentNoticeKind.Failed),
            EventTypes.ChargeRefunded => FromRefundedCharge(stripeEvent),
            _ => null,
        };
    }

    private static PaymentNotice? FromSession(Event stripeEvent, PaymentNoticeKind? kind)
    {
        if (kind is null) return null;
        var session = Session(stripeEvent);
        return new PaymentNotice(
            ProviderName, stripeEvent.Id, kind.Value, session.ClientReferenceId, session.PaymentIntentId,
            Amount(session.AmountTotal ?? 0, session.Currency), OccurredAt(stripeEvent));
    }

    private static PaymentNotice FromRefundedCharge(Event stripeEvent)
    {
        var charge = stripeEvent.Data.Object as Charge ?? throw NotAnEvent($"A {stripeEvent.Type} event carries a charge.");
        return new PaymentNotice(
            ProviderName, stripeEvent.Id, PaymentNoticeKind.Refunded, ApplicationId: null, charge.PaymentIntentId,
            Amount(charge.AmountRefunded, charge.Currency), OccurredAt(stripeEvent));
    }

    private static Session Session(Event stripeEvent) =>
        stripeEvent.Data.Object as Session ?? throw NotAnEvent($"A {stripeEvent.Type} event carries a checkout session.");

    /// <summary>Stripe writes currencies in lower case; Money holds the ISO 4217 code as written there, upper case.</summary>
    private static Money Amount(long minorUnits, string? currency)
    {
        var code = currency?.ToUpperInvariant();
        if (Money.Problem(minorUnits, code) is { } problem) throw NotAnEvent(problem);
        return new Money(minorUnits, code!);
    }

    private static DateTimeOffset OccurredAt(Event stripeEvent) => new(DateTime.SpecifyKind(stripeEvent.Created, DateTimeKind.Utc));

    private static ValidationFailedException NotAnEvent(string message) => ValidationFailedException.For("body", message);

    private static bool IsTransient(HttpStatusCode status) =>
        status is 0 or HttpStatusCode.Conflict or HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError;

    /// <summary>Appends to the return URL's query; the session id placeholder must stay unescaped for Stripe to fill it in.</summary>
    private static string WithQuery(Uri returnUrl, string query) =>
        returnUrl.AbsoluteUri + (string.IsNullOrEmpty(returnUrl.Query) ? "?" : "&") + query;
}
