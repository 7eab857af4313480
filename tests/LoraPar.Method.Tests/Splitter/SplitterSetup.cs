using LoraPar.Method.Splitter;
using Microsoft.Extensions.Logging;

namespace LoraPar.Method.Tests.Splitter;

/// <summary>Shared fixtures: tiny retry delays, a temporary folder, questions with a known "true" system, a secret API key.</summary>
public static class SplitterSetup
{
    /// <summary>The environment variable the tests name; its value lives only in <see cref="Environment(string, ILoggerFactory)"/>.</summary>
    public const string KeyVariable = "LORAPAR_TEST_TEACHER_KEY";

    /// <summary>Retries in milliseconds, so fault tests stay fast.</summary>
    public static TeacherResilience FastResilience(int concurrency = 4, double timeoutSeconds = 5, int retries = 3) => new()
    {
        MaxConcurrency = concurrency,
        RequestTimeout = TimeSpan.FromSeconds(timeoutSeconds),
        MaxRetries = retries,
        BaseDelay = TimeSpan.FromMilliseconds(1),
        MaxDelay = TimeSpan.FromMilliseconds(5),
        MaxRetryAfter = TimeSpan.FromSeconds(5),
        MaxConsecutiveFailures = 3,
    };

    /// <summary>A teacher environment whose only variable is the test key, logging to <paramref name="logs"/>.</summary>
    public static TeacherEnvironment Environment(string secret, ILoggerFactory logs) => new()
    {
        ReadVariable = name => name == KeyVariable ? secret : null,
        LoggerFactory = logs,
    };

    /// <summary>An OpenAI teacher on <paramref name="baseUrl"/> using the test key.</summary>
    public static OpenAiTeacherConfig OpenAi(string name, Uri baseUrl, string model, double temperature = 0) =>
        new(name, baseUrl, model) { ApiKeyVariable = KeyVariable, Temperature = temperature, MaxTokens = 8 };

    /// <summary>Questions q0…q(n-1); the even ones say "[easy]" and the odd ones "[hard]".</summary>
    public static IReadOnlyList<SplitterItem> Items(int n) => Enumerable.Range(0, n)
        .Select(i => new SplitterItem($"q{i}", $"Question {i} {(i % 2 == 0 ? "[easy]" : "[hard]")}: what is {i} + {i}?"))
        .ToList();

    /// <summary>The answer an honest scripted teacher gives: System 1 for "[easy]", System 2 for "[hard]".</summary>
    public static string HonestAnswer(string user) => user.Contains("[easy]", StringComparison.Ordinal) ? "System 1" : "System 2";

    /// <summary>A fresh temporary folder, deleted on dispose.</summary>
    public static TempFolder TempFolder() => new();
}

/// <summary>A temporary folder deleted on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    /// <summary>The folder.</summary>
    public string Path { get; } = Directory.CreateTempSubdirectory("lorapar-splitter-").FullName;

    /// <summary>A path inside the folder.</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Every file's text under the folder.</summary>
    public IEnumerable<(string File, string Text)> AllFiles() =>
        Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories).Select(f => (f, File.ReadAllText(f)));

    /// <inheritdoc />
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
