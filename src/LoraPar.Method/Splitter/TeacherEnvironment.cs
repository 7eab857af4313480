using LoraPar.Model.Generation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LoraPar.Method.Splitter;

/// <summary>
/// What teachers need from outside their configuration: environment variables (API keys), in-process scorers for local
/// teachers, logging, the clock and (for tests or proxies) the HTTP handler. Nothing here is global state.
/// </summary>
public sealed record TeacherEnvironment
{
    /// <summary>Reads an environment variable (by default the process environment).</summary>
    public Func<string, string?> ReadVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Builds the scorer of a local teacher; required when a local teacher is configured.</summary>
    public Func<LocalTeacherConfig, ICompletionScorer>? LocalScorers { get; init; }

    /// <summary>Where teachers and the SDK log (retries, failures); API keys never reach it.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>
    /// Whether the OpenAI SDK logs every request and response line (method, URL, status, headers with Authorization
    /// redacted; never bodies) at Information level. Off by default: a labelling run makes tens of thousands of requests.
    /// </summary>
    public bool LogHttpTraffic { get; init; }

    /// <summary>The clock of retry delays and timeouts.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Builds the HTTP handler of each remote teacher (null: a fresh <see cref="SocketsHttpHandler"/>).</summary>
    public Func<HttpMessageHandler>? HttpHandlerFactory { get; init; }
}
