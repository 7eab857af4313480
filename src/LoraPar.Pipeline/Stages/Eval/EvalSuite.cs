using LoraPar.Model.Generation;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Stages.Data;
using LoraPar.Pipeline.Stages.Modeling;
using LoraPar.Pipeline.Stages.Training;
using LoraPar.Synthetic;

namespace LoraPar.Pipeline.Stages.Eval;

/// <summary>
/// What the eval stages share: the benchmarks a manifest lists (as <see cref="IEvalBenchmark"/> strategies), the files and
/// upstream stages they read, and the loop that evaluates model states into <c>metrics.json</c> and per-example JSONL.
/// </summary>
public static class EvalSuite
{
    /// <summary>The input name of <c>eval.mmlu.path</c>.</summary>
    public const string MmluTestInput = "mmlu_test";

    /// <summary>The input name of <c>eval.mmlu.dev</c>.</summary>
    public const string MmluDevInput = "mmlu_dev";

    /// <summary>The input name of <c>eval.humaneval.path</c>.</summary>
    public const string HumanevalInput = "humaneval";

    /// <summary>The input name of <c>eval.own.path</c>.</summary>
    public const string OwnInput = "own_eval";

    /// <summary>The <c>[eval]</c> values every eval stage reads, except which points are evaluated.</summary>
    public static IReadOnlyList<string> SettingsReads { get; } =
        ["eval.benchmarks", "eval.max_new_tokens", "eval.batch_size", "eval.limit", "eval.temperature", "eval.mmlu", "eval.humaneval"];

    /// <summary>
    /// The declaration both eval stages share — the data stage when a benchmark reads it, the base model's upstream, the base
    /// and eval settings, the base and benchmark files — plus <paramref name="upstream"/> and <paramref name="reads"/>.
    /// </summary>
    public static StageDeclaration Declaration(PipelineManifest manifest, IEnumerable<string> upstream, IEnumerable<string> reads) => new(
        [.. UsesDataStage(manifest.Eval) ? [StageKinds.Data] : Array.Empty<string>(), .. upstream, .. StageInputs.BaseUpstream(manifest)],
        [.. StageInputs.BaseReads, .. reads, .. SettingsReads, .. manifest.Eval.Benchmarks.Contains(Benchmark.Own) ? OwnEvalReads : []],
        [.. StageInputs.BaseInputs(manifest), .. Inputs(manifest.Eval)]);

    /// <summary>What the <c>own</c> benchmark reads: <c>[eval.own]</c>, and the data's layout and chat template, which render its prompts.</summary>
    private static IReadOnlyList<string> OwnEvalReads { get; } = ["eval.own", "data.dataset", "data.chat_template"];

    /// <summary>Whether a benchmark reads the data stage's eval rows.</summary>
    public static bool UsesDataStage(EvalSection eval) => eval.Benchmarks.Any(b => b is Benchmark.Gsm8k or Benchmark.Synthetic);

    /// <summary>The benchmark files whose bytes enter the key: MMLU test (and dev when shots are taken), HumanEval problems.</summary>
    public static IReadOnlyList<StageInputFile> Inputs(EvalSection eval)
    {
        var inputs = new List<StageInputFile>();
        if (eval.Benchmarks.Contains(Benchmark.Mmlu))
        {
            if (eval.Mmlu.Path is { } test) inputs.Add(new StageInputFile(MmluTestInput, test.Resolved));
            if (eval.Mmlu.Shots > 0 && eval.Mmlu.Dev is { } dev) inputs.Add(new StageInputFile(MmluDevInput, dev.Resolved));
        }
        if (eval.Benchmarks.Contains(Benchmark.Humaneval) && eval.Humaneval.Path is { } problems)
            inputs.Add(new StageInputFile(HumanevalInput, problems.Resolved));
        if (eval.Benchmarks.Contains(Benchmark.Own) && eval.Own.Path is { } own) inputs.Add(new StageInputFile(OwnInput, own.Resolved));
        return inputs;
    }

    /// <summary>The benchmarks of the stage's manifest, their data loaded (GSM8K / synthetic sets from the data stage).</summary>
    public static IReadOnlyList<IEvalBenchmark> Benchmarks(StageContext context)
    {
        var (eval, seed) = (context.Manifest.Eval, context.Manifest.Seed);
        var benchmarks = new List<IEvalBenchmark>();
        if (UsesDataStage(eval)) benchmarks.AddRange(AccuracySets(context));
        if (eval.Benchmarks.Contains(Benchmark.Mmlu))
        {
            var dev = eval.Mmlu.Shots > 0 ? context.InputPath(MmluDevInput) : null;
            benchmarks.Add(MmluBenchmark.Load(eval.Mmlu, context.InputPath(MmluTestInput), dev, eval.BatchSize, seed));
        }
        if (eval.Benchmarks.Contains(Benchmark.Humaneval))
            benchmarks.Add(HumanEvalBenchmark.Load(eval.Humaneval, context.InputPath(HumanevalInput), eval.MaxNewTokens, eval.BatchSize, seed));
        if (eval.Benchmarks.Contains(Benchmark.Own)) benchmarks.Add(OwnSet(context, eval.Own));
        return benchmarks;
    }

    private static OwnEvalBenchmark OwnSet(StageContext context, OwnEvalSection own)
    {
        var (manifest, eval) = (context.Manifest, context.Manifest.Eval);
        var template = OwnData.TemplateOf(manifest.Data, OwnData.TemplateSource(manifest));
        var options = new GenerationOptions
        {
            MaxNewTokens = own.MaxNewTokens > 0 ? own.MaxNewTokens : eval.MaxNewTokens, Temperature = eval.Temperature,
            StopStrings = AnswerAccuracy.StopStrings,
        };
        var rows = eval.Limited(OwnEvalBenchmark.Load(context.InputPath(OwnInput), own, manifest.Data));
        return new OwnEvalBenchmark(rows, template, own, options, eval.BatchSize);
    }

    /// <summary>
    /// Evaluates every benchmark at every point: <paramref name="enter"/> puts the model into a point's state (e.g. loads that
    /// point's adapter and merges it) and returns what undoes that state after the point's benchmarks, if anything. Returns
    /// the metrics of all of them.
    /// </summary>
    public static Dictionary<string, double> Run(StageContext context, BaseModel model, IReadOnlyList<EvalPoint> points,
        Func<EvalPoint, IDisposable?> enter)
    {
        var benchmarks = Benchmarks(context);
        var generator = new Generator(model.Model, model.Tokenizer);
        var scorer = new SequenceScorer(model.Model, model.Tokenizer, context.Manifest.Eval.BatchSize);
        using var bar = context.Progress.Start("eval", points.Sum(p => benchmarks.Where(b => b.Covers(p)).Sum(b => (long)b.Units)), "examples");
        var run = new EvalRun(context, bar);
        var metrics = new Dictionary<string, double>();
        foreach (var point in points)
        {
            using var state = enter(point);
            var target = new EvalTarget(generator, scorer, KebabCase.Name(point));
            foreach (var benchmark in benchmarks.Where(b => b.Covers(point)))
                foreach (var (name, value) in benchmark.Evaluate(target, run)) metrics[name] = value;
        }
        return metrics;
    }

    /// <summary>
    /// The answer sets whose verdicts are compared between points and runs: those <see cref="AnswerAccuracy"/> grades (the
    /// synthetic task per system, GSM8K-format data) and one's own held-out file (<see cref="OwnEvalBenchmark"/>).
    /// </summary>
    public static IReadOnlyList<AnswerSet> AnswerSets { get; } =
    [
        AnswerSet.Of<AnswerRecord>(SyntheticSystem1), AnswerSet.Of<AnswerRecord>(SyntheticSystem2), AnswerSet.Of<AnswerRecord>(Gsm8kSet),
        AnswerSet.Of<OwnAnswerRecord>(OwnEvalBenchmark.SetName),
    ];

    private const string SyntheticSystem1 = "synthetic_s1";
    private const string SyntheticSystem2 = "synthetic_s2";
    private const string Gsm8kSet = "gsm8k";

    /// <summary>GSM8K asked in stage 2's format (<see cref="RlPrompt"/>) at the points stage 2 produced, beside the <c>####</c> format.</summary>
    public const string Gsm8kReasoningSet = "gsm8k_reasoning";

    private static IReadOnlyList<IEvalBenchmark> AccuracySets(StageContext context)
    {
        var (eval, data) = (context.Manifest.Eval, context.UpstreamDirectory(StageKinds.Data));
        var options = new GenerationOptions { MaxNewTokens = eval.MaxNewTokens, Temperature = eval.Temperature, StopStrings = AnswerAccuracy.StopStrings };
        AnswerAccuracy Set(string name, string file, Func<DatasetRow, string> prompt)
        {
            var rows = DatasetRows.Read(Path.Combine(data, file));
            return new AnswerAccuracy(name, eval.Limited(rows), prompt, options, eval.BatchSize);
        }
        if (context.Manifest.Data.Dataset == DatasetKind.Synthetic)
            return
            [
                Set(SyntheticSystem1, DataStage.EvalSystem1File, r => TaskPrompt.Prompt(r.Question, PromptStyle.Gsm8k)),
                Set(SyntheticSystem2, DataStage.EvalSystem2File, r => TaskPrompt.Prompt(r.Question, PromptStyle.ReasoningTags)),
            ];
        var reasoning = new Lazy<Func<string, string>>(() => RlPrompt.For(context.Manifest, RlPrompt.TemplateFolder(context.Manifest)));
        return
        [
            Set(Gsm8kSet, DataStage.EvalFile, r => r.Prompt) with { LmEvalMetrics = true },
            Set(Gsm8kReasoningSet, DataStage.EvalFile, r => reasoning.Value(r.Question)) with { At = p => ProducedByRl(context.Manifest, p) },
        ];
    }

    /// <summary>Whether the adapter evaluated at <paramref name="point"/> is the rl stage's (stage 2 of LoRA-PAR and PiSSA+RL, stage 1 of the order ablation).</summary>
    public static bool ProducedByRl(PipelineManifest manifest, EvalPoint point) =>
        point != EvalPoint.Base && EvalStage.TrainedAdapter(manifest, point).Stage == StageKinds.Rl;
}
