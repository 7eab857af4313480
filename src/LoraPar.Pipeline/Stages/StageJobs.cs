using System.Diagnostics;
using LoraPar.Core;

namespace LoraPar.Pipeline.Stages;

/// <summary>
/// The local executor with <c>[executor] jobs</c> above 1. Complete stages are reused as the sequential runner reuses them;
/// the stale ones run as <see cref="StageJob"/>s, at most <see cref="Count"/> at a time, each as soon as every stage it reads
/// from is complete (ties in plan order). After a failure or a Ctrl-C no new job starts and the running ones are waited
/// for (a Ctrl-C stops them at their next step); the run then fails naming the first failed stage and its log. What
/// finished stays cached, as in a sequential run.
/// </summary>
/// <param name="Count">How many jobs may run at once.</param>
/// <param name="Command">The lorapar command a job runs, one argument per entry.</param>
/// <param name="ManifestFile">The manifest the jobs load.</param>
/// <param name="WorkingDirectory">Where the jobs run.</param>
public sealed record StageJobs(int Count, IReadOnlyList<string> Command, string ManifestFile, string WorkingDirectory)
{
    /// <summary>How many lines of a failed job's output its error repeats.</summary>
    public const int TailLines = 5;

    /// <summary>Runs <paramref name="plan"/> against <paramref name="store"/>.</summary>
    public RunSummary Run(PipelinePlan plan, ArtifactStore store, RunSelection selection, ExecutionEnvironment env)
    {
        var clock = Stopwatch.StartNew();
        var schedule = new Schedule(this, store, env, PipelineRunner.ForcedNodes(plan, selection.Force));
        try
        {
            schedule.Run(PipelineRunner.SelectNodes(plan, selection));
        }
        finally
        {
            store.Hashes.Save();
        }
        return new RunSummary(schedule.Executed, schedule.Reused, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The log file of <paramref name="node"/>'s job.</summary>
    public static string LogPathOf(ArtifactStore store, PlannedStage node) =>
        Path.Combine(store.RunsDirectory, node.Manifest.Name, "jobs", $"{node.Kind}-{node.Key[..12]}.log");

    /// <summary>One run's bookkeeping: what waits, what runs, what is done, and the first failure.</summary>
    private sealed class Schedule(StageJobs jobs, ArtifactStore store, ExecutionEnvironment env, HashSet<PlannedStage> forced)
    {
        private readonly RunPointers pointers = new(store.RunsDirectory);
        private readonly HashSet<PlannedStage> done = [];
        private readonly List<PlannedStage> waiting = [];
        private readonly List<StageJob> running = [];
        private (StageJob Job, int Code)? failed;
        private readonly List<string> interrupted = [];
        private int started;

        public List<PlannedStage> Executed { get; } = [];

        public List<PlannedStage> Reused { get; } = [];

        public void Run(IReadOnlyList<PlannedStage> nodes)
        {
            foreach (var node in nodes) PipelineRunner.RequireRunnable(node);
            foreach (var node in nodes)
                if (PipelineRunner.Reuse(node, store, forced.Contains(node), pointers)) Done(node, Reused);
                else waiting.Add(node);
            try
            {
                for (Launch(); running.Count > 0; Launch()) Finish(WaitForOne());
            }
            finally
            {
                Task.WaitAll(running.Select(j => (Task)j.Exited).ToArray());
                foreach (var job in running) job.Dispose();
            }
            Verdict();
        }

        /// <summary>
        /// Starts every waiting stage whose upstream is done, while there is room and nothing went wrong. A compute stage
        /// (<see cref="Executors.ExecutorSettings.GpuStages"/>) that no other compute stage can run beside — none runs, and
        /// every other one still waiting reads from it, as every stage reads from pretraining — runs alone, with spinning
        /// waits; light stages (data, labels, masks, report) may run beside it.
        /// </summary>
        private void Launch()
        {
            if (failed is not null || interrupted.Count > 0 || env.Cancellation.IsCancellationRequested) return;
            foreach (var node in waiting.Where(n => n.Upstream.All(done.Contains)).Take(jobs.Count - running.Count).ToList())
                Start(node, alone: Compute(node) && !running.Any(j => Compute(j.Node))
                                   && waiting.All(other => other == node || !Compute(other) || ReadsFrom(other, node)));
        }

        /// <summary>Whether <paramref name="node"/> reads, directly or through other stages, from <paramref name="upstream"/>.</summary>
        private static bool ReadsFrom(PlannedStage node, PlannedStage upstream) =>
            node.Upstream.Any(u => u == upstream || ReadsFrom(u, upstream));

        private static bool Compute(PlannedStage node) => Executors.ExecutorSettings.GpuStages.Contains(node.Kind);

        private void Start(PlannedStage node, bool alone)
        {
            var force = forced.Contains(node);
            var line = $"{node.Kind} {node.Key[..8]} ({PipelineRunner.VariantNames(node)}): {(force ? "forced" : store.Check(node.Kind, node.Key).Detail)}; "
                + $"job {++started} ({running.Count + 1} of up to {jobs.Count} running{(alone ? ", alone: spinning waits" : "")}), output in {LogPathOf(store, node)}";
            env.Log(line);
            env.Announce?.Invoke(line);
            running.Add(StageJob.Start(node, force, alone, jobs.Command, jobs.ManifestFile, jobs.WorkingDirectory, LogPathOf(store, node)));
            waiting.Remove(node);
        }

        private StageJob WaitForOne()
        {
            var job = running[Task.WaitAny(running.Select(j => (Task)j.Exited).ToArray())];
            running.Remove(job);
            return job;
        }

        private void Finish(StageJob job)
        {
            using var _ = job;
            var code = job.Exited.Result;
            var node = job.Node;
            if (code == ExitCodes.Interrupted) interrupted.Add(node.Kind);
            else if (code != ExitCodes.Success || !store.Check(node.Kind, node.Key).IsComplete) failed ??= (job, code);
            else
            {
                var line = $"{node.Kind} {node.Key[..8]}: done in {job.Elapsed.TotalSeconds:0.0} s";
                env.Log(line);
                env.Announce?.Invoke(line);
                PipelineRunner.WritePointers(pointers, node, store.ReadRecord(node.Kind, node.Key)!);
                Done(node, Executed);
            }
        }

        private void Done(PlannedStage node, List<PlannedStage> list)
        {
            done.Add(node);
            list.Add(node);
        }

        /// <summary>Throws for the first failure, then for an interruption; returns when every stage is done.</summary>
        private void Verdict()
        {
            if (failed is var (job, code))
            {
                var tail = string.Join("\n", job.Tail(TailLines).Select(l => "  " + l));
                var what = $"stage '{job.Node.Kind}' ({job.Node.Key[..8]}, {PipelineRunner.VariantNames(job.Node)}) failed with exit code {code}; its output is in {job.LogPath}";
                env.Log($"{what}\n{tail}");
                if (code == ExitCodes.BadInput) throw new BadInputException($"{what}:\n{tail}");
                throw new JobFailedException($"{what}:\n{tail}");
            }
            if (interrupted.Count > 0) throw StageInterruptedException.OfJobs(interrupted, new OperationCanceledException(env.Cancellation));
            env.Cancellation.ThrowIfCancellationRequested();
        }
    }
}
