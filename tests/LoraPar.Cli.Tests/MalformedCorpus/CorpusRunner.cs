using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LoraPar.Cli.Tests.MalformedCorpus;

/// <summary>What one case did: exit code, stderr, seconds, and the exception that escaped the CLI (a crash), if any.</summary>
public sealed record CorpusOutcome(int Code, string Stderr, string Stdout, double Seconds, Exception? Crash);

/// <summary>
/// Runs a case through the CLI in-process (<c>lorapar run --dry-run</c> or <c>lorapar status</c>, as a user would) and judges
/// it: exit code 2, every stderr line located, at most 21 lines, no stack trace, the expected key named, under 5 s.
/// </summary>
public static partial class CorpusRunner
{
    /// <summary>The most lines an answer may take: 20 errors and the "and N more" line.</summary>
    public const int MaxLines = 21;

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);

    /// <summary>Runs <paramref name="c"/> in <paramref name="tree"/>; a run still going after twice the limit counts as a hang.</summary>
    public static CorpusOutcome Run(CorpusTree tree, CorpusCase c) => tree.With(c, () =>
    {
        var path = Path.Combine(tree.Folder, c.Manifest);
        string[] args = c.Verb == CorpusVerb.DryRun ? ["run", "--dry-run", path] : ["status", path];
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var clock = Stopwatch.StartNew();
        var run = Task.Run(() => CliApp.Run(args, stdout, stderr));
        try
        {
            if (!run.Wait(Limit * 2)) return new CorpusOutcome(-1, "", "", clock.Elapsed.TotalSeconds, new TimeoutException("hung"));
            return new CorpusOutcome(run.Result, stderr.ToString(), stdout.ToString(), clock.Elapsed.TotalSeconds, null);
        }
        catch (AggregateException e)
        {
            return new CorpusOutcome(-1, stderr.ToString(), stdout.ToString(), clock.Elapsed.TotalSeconds, e.InnerException);
        }
    });

    /// <summary>What is wrong with <paramref name="o"/> as the answer to <paramref name="c"/>; null when it is right.</summary>
    public static string? Judge(CorpusCase c, CorpusOutcome o)
    {
        if (o.Crash is { } crash) return $"crashed: {crash.GetType().Name}: {FirstLine(crash.Message)}";
        if (o.Code == 0) return "exit 0: accepted";
        if (o.Code != 2) return $"exit {o.Code}: {FirstLine(o.Stderr)}";
        if (o.Stderr.Contains("   at ", StringComparison.Ordinal) || o.Stderr.Contains("Unhandled exception", StringComparison.Ordinal))
            return "stack trace: " + FirstLine(o.Stderr);
        var lines = o.Stderr.Replace("\r", "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0) return "exit 2 with nothing on stderr";
        if (lines.Length > MaxLines) return $"{lines.Length} lines on stderr (at most {MaxLines})";
        if (lines.FirstOrDefault(l => !Located().IsMatch(l)) is { } unlocated) return $"unlocated line: {Clip(unlocated)}";
        if (c.Expect.Count > 0 && !lines.Any(l => c.Expect.All(e => l.Contains(e, StringComparison.Ordinal))))
            return $"no line has {string.Join(" + ", c.Expect.Select(e => $"'{e}'"))}: {Clip(lines[0])}";
        if (o.Seconds > Limit.TotalSeconds) return $"took {o.Seconds:0.0} s";
        return null;
    }

    private static string FirstLine(string text) => Clip(text.Replace("\r", "").Split('\n')[0]);

    private static string Clip(string text) => text.Length <= 300 ? text : text[..300] + "…";

    /// <summary><c>lorapar: file:line:col key: message</c> or <c>lorapar: file:line:col: message</c>.</summary>
    [GeneratedRegex(@"^lorapar: \S+:\d+:\d+(?: [^\s:]+)?: \S.*$")]
    private static partial Regex Located();
}
