using Microsoft.Extensions.Logging;

namespace LoraPar.Pipeline.Stages.Labels;

/// <summary>
/// Routes the splitter's and teachers' log messages (retries, failures, a torn vote cache) of level
/// <see cref="LogLevel.Information"/> and above into the run log of a stage. API keys never reach these messages.
/// </summary>
public sealed class StageLogging(Action<string> log) : ILoggerFactory
{
    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(log, categoryName[(categoryName.LastIndexOf('.') + 1)..]);

    /// <summary>Ignored: everything this factory's loggers write goes to the run log, and nowhere else.</summary>
    public void AddProvider(ILoggerProvider provider)
    {
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class Logger(Action<string> log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            log($"{category} {logLevel.ToString().ToLowerInvariant()}: {formatter(state, exception)}");
        }
    }
}
