using System.Diagnostics;
using System.Text.Json.Nodes;
using LoraPar.Cli.Tests.MalformedCorpus;

namespace LoraPar.Cli.Tests.Commands;

/// <summary>
/// <c>[executor] jobs</c> on a real <c>lorapar run</c> process: a two-run sweep (experiments/ci.toml cut down) computes the
/// same bytes with two jobs as one stage after the other, runs two stages at once, saves its results once; a failed job fails
/// the run naming its stage and log and keeps what finished; a Ctrl-C to the process group stops every job cleanly.
/// </summary>
public sealed class ParallelJobsTests : CliTestFolder
{
    private static readonly string Sweep = TinyCi.Manifest("par", "progress = \"none\"") + "[sweep]\nselection = [\"importance\", \"random\"]\n";

    /// <summary>The outputs that must match bit for bit (logs, timings and records hold times; figures are left out).</summary>
    private static readonly string[] Computed = [".safetensors", ".jsonl", "partition.json"];

    [Fact]
    public async Task Two_jobs_compute_the_bytes_one_process_computes_run_two_stages_at_once_and_save_results_once()
    {
        var serial = Folder("serial", "[executor]\njobs = 1\n");
        var parallel = Folder("parallel", "[executor]\njobs = 2\n");

        var one = await LoraparChild.RunToEnd(serial, "run", "experiments/par.toml");
        Assert.True(one.Code == 0, one.Err);
        var two = await LoraparChild.RunToEnd(parallel, "run", "experiments/par.toml");
        Assert.True(two.Code == 0, two.Err);

        Assert.Contains("(2 of up to 2 running)", two.Out);
        Assert.Matches(@"(?m)^pretrain [0-9a-f]{8} \(selection=importance, selection=random\): no artifact; job \d+ \(\d of up to 2 running, alone: spinning waits\)", two.Out);
        Assert.DoesNotMatch(@"(?m)^(sft|rl|scores) .*alone", two.Out);                   // the two runs' stages can run beside each other
        Assert.DoesNotContain("running)", one.Out);
        var files = ComputedFiles(serial);
        Assert.True(files.Count > 10, string.Join(", ", files));
        Assert.Equal(files, ComputedFiles(parallel));
        foreach (var file in files)
            Assert.True(File.ReadAllBytes(Path.Combine(serial, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(parallel, file))), file);
        Assert.Single(Directory.GetFiles(Path.Combine(parallel, "artifacts", "runs", "par", "results")));
        Assert.True(Directory.GetFiles(Path.Combine(parallel, "artifacts", "runs", "par", "jobs"), "*.log").Length > 10);
        Assert.Contains("executor.jobs = 2: stale stages run as up to 2 lorapar processes at once", ParentLog(parallel));
        Assert.Contains("OpenMP waits: OMP_WAIT_POLICY=ACTIVE GOMP_SPINCOUNT=100000", JobLog(parallel, "pretrain"));   // what the job was given
        Assert.Contains("OpenMP waits: sleeping", JobLog(parallel, "sft"));
        var again = await LoraparChild.RunToEnd(parallel, "run", "experiments/par.toml");
        Assert.True(again.Code == 0, again.Err);
        Assert.Contains("par: ran 0 stages", again.Out);
    }

    [Fact]
    public async Task A_failed_job_fails_the_run_naming_its_stage_and_log_and_what_finished_stays()
    {
        var folder = Folder("fail", "[executor]\njobs = 2\n[sft]\nlearning_rate = 1e6\ncheckpoint_every = 1\n");

        var (code, stdout, stderr) = await LoraparChild.RunToEnd(folder, "run", "experiments/par.toml");

        Assert.True(code == 1, $"{stdout}\n{stderr}");
        Assert.Matches(@"lorapar: stage 'sft' \([0-9a-f]{8}, selection=\w+\) failed with exit code 1; its output is in .*/jobs/sft-[0-9a-f]{12}\.log", stderr);
        Assert.Contains("sft: an update grew parameter model.layers.", stderr);     // the job's own error, repeated from its log
        Assert.DoesNotContain("   at ", stderr);
        Assert.Empty(Committed(folder, "sft"));
        Assert.Single(Committed(folder, "pretrain"));
        Assert.Equal(2, Committed(folder, "masks").Length);
    }

    [Fact]
    public async Task A_ctrl_c_to_the_process_group_stops_every_job_at_its_next_step_and_a_rerun_completes()
    {
        var folder = Folder("interrupt", "[executor]\njobs = 2\n", Sweep.Replace("pretrain_steps = 8", "pretrain_steps = 20000"));
        using var run = InOwnProcessGroup(folder, "run", "experiments/par.toml");
        var stderr = run.StandardError.ReadToEndAsync();
        var stdout = run.StandardOutput.ReadToEndAsync();
        var staging = Path.Combine(folder, "artifacts", "pretrain");
        await LoraparChild.WaitFor(() => Directory.Exists(staging) && Directory.GetDirectories(staging, ".tmp-*").Length > 0 || run.HasExited,
            "the pretrain job to start");
        await Task.Delay(500);
        using (var kill = Process.Start("kill", ["-INT", "--", $"-{run.Id}"])) await kill.WaitForExitAsync();   // what Ctrl-C does: the whole group
        await LoraparChild.Exit(run, "the interrupted run");

        var err = await stderr;
        Assert.True(run.ExitCode == 130, $"exit {run.ExitCode}\n{await stdout}\n{err}");
        var stopped = err.Split('\n').FirstOrDefault(l => l.StartsWith("lorapar: interrupted: stage '", StringComparison.Ordinal));
        Assert.True(stopped is not null && stopped.Contains("'pretrain'", StringComparison.Ordinal), $"{await stdout}\n{err}");
        Assert.DoesNotContain("   at ", err);
        Assert.Contains("interrupted: stage 'pretrain' stopped before step ", File.ReadAllText(Directory.GetFiles(Path.Combine(folder, "artifacts", "runs", "par", "jobs"), "pretrain-*.log").Single()));
        Assert.Empty(Directory.GetDirectories(Path.Combine(folder, "artifacts"), ".tmp-*", SearchOption.AllDirectories));
        Assert.Empty(Committed(folder, "pretrain"));

        File.WriteAllText(Path.Combine(folder, "experiments", "par.toml"), Sweep + "\n[executor]\njobs = 2\n");   // a short pretraining this time
        var rerun = await LoraparChild.RunToEnd(folder, "run", "experiments/par.toml");
        Assert.True(rerun.Code == 0, rerun.Err);
    }

    /// <summary>A folder with experiments/ci.toml and experiments/par.toml (<paramref name="sweep"/>, by default the sweep, plus <paramref name="extra"/>).</summary>
    private string Folder(string name, string extra, string? sweep = null)
    {
        var folder = Path.Combine(Dir, name);
        Directory.CreateDirectory(Path.Combine(folder, "experiments"));
        File.Copy(Path.Combine(CorpusTree.Root, "experiments", "ci.toml"), Path.Combine(folder, "experiments", "ci.toml"));
        File.WriteAllText(Path.Combine(folder, "experiments", "par.toml"), (sweep ?? Sweep) + "\n" + extra);
        return folder;
    }

    /// <summary>The computed files of every committed artifact, relative to the folder, sorted.</summary>
    private static List<string> ComputedFiles(string folder) =>
        Directory.GetFiles(Path.Combine(folder, "artifacts"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f))
            .Where(f => !f.Contains("/runs/") && !f.Contains("/.") && Path.GetFileName(f) != "training_log.jsonl"
                        && Computed.Any(suffix => f.EndsWith(suffix, StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string[] Committed(string folder, string kind)
    {
        var path = Path.Combine(folder, "artifacts", kind);
        return Directory.Exists(path)
            ? Directory.GetDirectories(path).Where(d => !Path.GetFileName(d).StartsWith('.') && !d.EndsWith(".partial", StringComparison.Ordinal)
                                                        && File.Exists(Path.Combine(d, "stage.json"))).ToArray()
            : [];
    }

    private static string ParentLog(string folder) =>
        Directory.GetFiles(Path.Combine(folder, "artifacts", "runs", "par", "logs"))
            .Select(File.ReadAllText).Single(t => t.Contains("executor.jobs", StringComparison.Ordinal));

    /// <summary>The run log of the first job that ran <paramref name="stage"/>.</summary>
    private static string JobLog(string folder, string stage) =>
        Directory.GetFiles(Path.Combine(folder, "artifacts", "runs", "par", "logs"))
            .Select(File.ReadAllText).First(t => t.Contains($" stage={stage}", StringComparison.Ordinal));

    /// <summary>lorapar started through setsid, so that it leads a process group of its own, as a shell's foreground job does.</summary>
    private static Process InOwnProcessGroup(string folder, params string[] args)
    {
        var info = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var word in (string[])["dotnet", Path.Combine(AppContext.BaseDirectory, "lorapar.dll"), .. args]) info.ArgumentList.Add(word);
        return Process.Start(info)!;
    }
}
