using LoraPar.Evaluation.Runs;
using LoraPar.Model.Generation;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Progress;
using LoraPar.Pipeline.Stages.Modeling;

namespace LoraPar.Pipeline.Stages.Eval;

/// <summary>The model state being evaluated: how it generates, how it scores continuations, and the eval point's name (<c>base</c>, <c>stage1</c>, <c>stage2</c>).</summary>
public sealed record EvalTarget(ITextGenerator Generator, ICompletionScorer Scorer, string Point);

/// <summary>
/// One benchmark of the eval stage (a strategy per benchmark: answer accuracy, MMLU, HumanEval). It evaluates a model state,
/// appends per-example results to a resumable results file and returns its metrics (percent), named
/// <c>{benchmark}_{measure}_{point}</c>.
/// </summary>
public interface IEvalBenchmark
{
    /// <summary>The name results files and metrics start with, e.g. <c>gsm8k</c>, <c>mmlu</c>.</summary>
    string Name { get; }

    /// <summary>Units of work per eval point (answers, questions or samples), for the progress bar.</summary>
    int Units { get; }

    /// <summary>Whether this benchmark is asked at <paramref name="point"/> (some formats apply only to what one stage produced).</summary>
    bool Covers(EvalPoint point) => true;

    /// <summary>Evaluates <paramref name="target"/>; per-example results go to <c>{Name}_{point}.jsonl</c> through <paramref name="run"/>.</summary>
    IReadOnlyDictionary<string, double> Evaluate(EvalTarget target, EvalRun run);
}

/// <summary>
/// Where a benchmark writes during one eval stage attempt: per-example results are appended to the key's partial folder (so
/// a later attempt resumes them) and published into the artifact when the benchmark is done; progress goes to one bar.
/// </summary>
public sealed class EvalRun(StageContext context, IProgressTask bar)
{
    /// <summary>The stage's context.</summary>
    public StageContext Context { get; } = context;

    /// <summary>The resumable results file of <paramref name="benchmark"/> at <paramref name="point"/>.</summary>
    public string ResultsPath(string benchmark, string point) => Context.PartialPath(FileName(benchmark, point));

    /// <summary>Copies the finished results file into the artifact.</summary>
    public void Publish(string benchmark, string point) =>
        File.Copy(ResultsPath(benchmark, point), Context.OutputPath(FileName(benchmark, point)), overwrite: true);

    /// <summary>Progress of one benchmark at one point: advances the bar by what is done, and logs what was resumed
    /// (shown as done, left out of the ETA).</summary>
    public IProgress<EvalProgress> Track(string benchmark, string point)
    {
        var last = 0;
        return new SynchronousProgress<EvalProgress>(p =>
        {
            if (last == 0 && p.Resumed > 0)
            {
                Context.Log($"{benchmark} @ {point}: resumed {p.Resumed} of {p.Total} from an earlier attempt");
                bar.Resume(p.Resumed);
                last = p.Resumed;
            }
            bar.Advance(p.Done - last);
            last = p.Done;
        });
    }

    /// <summary>The per-example results file name.</summary>
    public static string FileName(string benchmark, string point) => $"{benchmark}_{point}.jsonl";
}
