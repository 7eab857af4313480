using System.Diagnostics;

namespace LoraPar.Cli.Tests.Commands;

/// <summary>A real <c>lorapar</c> child process (the built <c>lorapar.dll</c> beside the tests) in a folder, bounded in time.</summary>
internal static class LoraparChild
{
    /// <summary>
    /// How long any child may run before the test fails: a guard against hangs, not a speed check. A tiny pipeline runs in
    /// ~20 s alone, but CI runs test classes side by side on 2 cores, and 120 s was once too short there.
    /// </summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(300);

    /// <summary>Starts <c>lorapar <paramref name="args"/></c> in <paramref name="folder"/> with stdout and stderr redirected.</summary>
    public static Process Start(string folder, params string[] args) => Start(folder, new Dictionary<string, string?>(), args);

    /// <summary>Starts <c>lorapar <paramref name="args"/></c> in <paramref name="folder"/> with <paramref name="environment"/> set on top of this process's (null removes a variable).</summary>
    public static Process Start(string folder, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "lorapar.dll"));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        return Process.Start(info)!;
    }

    /// <summary>Runs <c>lorapar <paramref name="args"/></c> in <paramref name="folder"/> to its end.</summary>
    public static Task<(int Code, string Out, string Err)> RunToEnd(string folder, params string[] args) =>
        RunToEnd(folder, new Dictionary<string, string?>(), args);

    /// <summary>Runs <c>lorapar <paramref name="args"/></c> in <paramref name="folder"/> with <paramref name="environment"/> to its end.</summary>
    public static async Task<(int Code, string Out, string Err)> RunToEnd(string folder, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using var child = Start(folder, environment, args);
        var stderr = child.StandardError.ReadToEndAsync();
        var stdout = child.StandardOutput.ReadToEndAsync();
        if (!await Ended(child))
            Assert.Fail($"lorapar {string.Join(' ', args)} did not end within {Limit.TotalSeconds} s; it had written:\n{Tail(await stdout)}\n{Tail(await stderr)}");
        return (child.ExitCode, await stdout, await stderr);
    }

    /// <summary>Sends <paramref name="signal"/> (INT, TERM, KILL) to <paramref name="child"/>.</summary>
    public static async Task Signal(Process child, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", child.Id.ToString()]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Waits for <paramref name="child"/> to end within <see cref="Limit"/>; kills it and fails otherwise.</summary>
    public static async Task Exit(Process child, string what)
    {
        if (!await Ended(child)) Assert.Fail($"{what} did not end within {Limit.TotalSeconds} s");
    }

    /// <summary>Whether <paramref name="child"/> ended within <see cref="Limit"/>; it is killed (with its children) otherwise.</summary>
    private static async Task<bool> Ended(Process child)
    {
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await child.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
            return false;
        }
    }

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(15));

    /// <summary>Polls <paramref name="condition"/> until it holds, failing after <see cref="Limit"/>.</summary>
    public static async Task WaitFor(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Limit) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
