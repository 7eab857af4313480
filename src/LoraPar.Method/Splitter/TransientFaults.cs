using System.ClientModel;
using System.Globalization;
using Polly.Timeout;

namespace LoraPar.Method.Splitter;

/// <summary>A 200 response whose body is not a chat completion (truncated JSON, HTML from a proxy…). Retried like a 5xx.</summary>
public sealed class MalformedResponseException(string message, Exception inner) : Exception(message, inner);

/// <summary>Which teacher failures are worth a retry, and how long a server asked us to wait.</summary>
public static class TransientFaults
{
    /// <summary>True for timeouts, 408 / 429 / 5xx, connection errors (status 0) and malformed bodies.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        TimeoutRejectedException => true,
        ClientResultException c => c.Status is 0 or 408 or 429 or >= 500,
        HttpRequestException or IOException => true,
        MalformedResponseException => true,
        _ => false,
    };

    /// <summary>
    /// The wait a 429 / 503 response asks for in its Retry-After (seconds or HTTP date) or retry-after-ms header,
    /// cut to <paramref name="cap"/>; null when there is none.
    /// </summary>
    public static TimeSpan? RetryAfter(Exception? exception, DateTimeOffset now, TimeSpan cap)
    {
        if (exception is not ClientResultException { Status: 429 or 503 } c || c.GetRawResponse() is not { } response) return null;
        TimeSpan? wait = null;
        if (response.Headers.TryGetValue("retry-after-ms", out var ms)
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var millis) && millis >= 0)
            wait = TimeSpan.FromMilliseconds(millis);
        else if (response.Headers.TryGetValue("Retry-After", out var value) && value is not null)
            wait = ParseRetryAfter(value, now);
        return wait is null ? null : wait.Value > cap ? cap : wait;
    }

    /// <summary>Parses a Retry-After value: delta-seconds (fractions tolerated) or an HTTP date.</summary>
    public static TimeSpan? ParseRetryAfter(string value, DateTimeOffset now)
    {
        if (double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return seconds >= 0 ? TimeSpan.FromSeconds(seconds) : null;
        if (DateTimeOffset.TryParseExact(value.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return at > now ? at - now : TimeSpan.Zero;
        return null;
    }

    /// <summary>A one-line description of a failure for reports: the HTTP status where there is one, then the message.</summary>
    public static string Describe(Exception exception) => exception switch
    {
        TimeoutRejectedException t => $"timed out ({FirstLine(t.Message)})",
        ClientResultException { Status: > 0 } c => $"HTTP {c.Status}: {FirstLine(c.Message)}",
        _ => $"{exception.GetType().Name}: {FirstLine(exception.Message)}",
    };

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length <= 300 ? line : line[..300] + "…";
    }
}
