using System.Diagnostics;
using System.Text.Json;
using LoraPar.Pipeline.Executors;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Cli.Tests.Slurm;

/// <summary>A test folder whose <c>lorapar</c> runs are child processes (the built lorapar.dll), as a user's would be on a login node.</summary>
public abstract class SlurmTestFolder(SlurmCluster cluster) : CliTestFolder
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(240);

    /// <summary>Skips the test, with the reason, when Slurm cannot run here.</summary>
    protected void RequireSlurm() => Skip.If(cluster.SkipReason is not null, cluster.SkipReason);

    /// <summary>Starts <c>lorapar</c> with <paramref name="args"/> in the test folder.</summary>
    protected Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = Dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "lorapar.dll"));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        return Process.Start(info)!;
    }

    /// <summary>Runs <c>lorapar</c> to its end: exit code, stdout, stderr.</summary>
    protected async Task<(int Code, string Out, string Err)> Lorapar(params string[] args)
    {
        using var child = Start(args);
        return await Finish(child);
    }

    /// <summary>Waits for a started <c>lorapar</c> (killing it after a generous limit, which fails the test).</summary>
    protected static async Task<(int Code, string Out, string Err)> Finish(Process child)
    {
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await child.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            child.Kill();
            Assert.Fail($"lorapar did not end within {Limit.TotalSeconds} s");
        }
        return (child.ExitCode, await stdout, await stderr);
    }

    /// <summary>The job records of an artifacts folder, by stage kind and key.</summary>
    protected static IReadOnlyList<SlurmSubmission> Submissions(string artifacts)
    {
        var folder = SlurmSubmission.Folder(artifacts);
        if (!Directory.Exists(folder)) return [];
        return Directory.GetFiles(folder, "*.json", SearchOption.AllDirectories)
            .Select(f => SlurmSubmission.Read(artifacts, Path.GetFileName(Path.GetDirectoryName(f)!), Path.GetFileNameWithoutExtension(f))!)
            .ToList();
    }

    /// <summary>The scheduler's records of <paramref name="ids"/>.</summary>
    protected static IReadOnlyDictionary<string, SlurmJob> Scheduler(IEnumerable<string> ids) => SlurmQueue.Query(ids);

    /// <summary>Waits until <paramref name="condition"/> holds (failing after a generous limit).</summary>
    protected static async Task WaitFor(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Limit) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(250);
        }
    }

    /// <summary>
    /// Cancels every job still active among <paramref name="ids"/> and waits for them to end, so a test never leaves work on the
    /// shared node nor a job writing into a folder being deleted.
    /// </summary>
    protected static void EndLeftovers(IEnumerable<string> ids)
    {
        var all = ids.ToList();
        var active = Scheduler(all).Values.Where(j => j.IsActive).Select(j => j.Id).ToList();
        if (active.Count == 0) return;
        SlurmCli.Run("scancel", active);
        var clock = Stopwatch.StartNew();
        while (Scheduler(active).Values.Any(j => j.IsActive) && clock.Elapsed < Limit) Thread.Sleep(250);
    }

    /// <summary>The stage artifact folders (kind/key) of a store.</summary>
    protected static IReadOnlyList<string> ArtifactFolders(string artifacts) =>
        StageKinds.All.Select(kind => Path.Combine(artifacts, kind)).Where(Directory.Exists)
            .SelectMany(kind => Directory.GetDirectories(kind).Where(d => !Path.GetFileName(d).StartsWith('.')))
            .Select(d => Path.GetRelativePath(artifacts, d)).Order(StringComparer.Ordinal).ToList();

    /// <summary>Staging folders left in a store (an interrupted write that was not cleaned up).</summary>
    protected static string[] StagingFolders(string artifacts) =>
        Directory.Exists(artifacts) ? Directory.GetDirectories(artifacts, ".tmp-*", SearchOption.AllDirectories) : [];

    /// <summary>Reads a JSON file.</summary>
    protected static JsonElement Json(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
}
