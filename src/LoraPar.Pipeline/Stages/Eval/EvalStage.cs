using LoraPar.Adapters;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Stages.Modeling;
using LoraPar.Pipeline.Stages.Training;
using TorchSharp;

namespace LoraPar.Pipeline.Stages.Eval;

/// <summary>
/// The <c>eval</c> stage: the manifest's benchmarks (<see cref="EvalSuite"/>) after the recipe's first training stage and after
/// its last, and the base point taken from the shared <c>eval-base</c> stage (<see cref="BaseEvalStage"/>), so that runs that
/// differ only in what is trained evaluate the base model once. The synthetic task is scored per system, each in the prompt
/// format its stage trains; GSM8K on the eval file's questions in the <c>####</c> format at every point and, at the points the
/// rl stage produced, also in stage 2's own format (<see cref="Training.RlPrompt"/>: <c>gsm8k_reasoning_accuracy_{point}</c>);
/// MMLU by option log-likelihood; HumanEval by sandboxed pass@k.
/// Metrics (percent) in metrics.json, e.g. <c>gsm8k_accuracy_{point}</c> (with a <c>_flexible</c> twin and lm-eval's
/// <c>gsm8k_lmeval_strict_{point}</c>, <c>gsm8k_lmeval_flexible_{point}</c>),
/// <c>mmlu_accuracy_{point}</c>, <c>mmlu_macro_{point}</c>, <c>humaneval_pass1_{point}</c>; per-example results in
/// <c>{benchmark}_{point}.jsonl</c>, appended as they finish so that an interrupted eval resumes where it stopped.
/// </summary>
public sealed class EvalStage : IStage
{
    /// <inheritdoc />
    public string Kind => StageKinds.Eval;

    /// <inheritdoc />
    public int Version => 7;

    /// <inheritdoc />
    public StageDeclaration? Declare(PipelineManifest manifest) => EvalSuite.Declaration(manifest,
        [.. manifest.Eval.Points.Contains(EvalPoint.Base) ? [StageKinds.EvalBase] : Array.Empty<string>(),
         .. TrainedPoints(manifest.Eval).Select(p => TrainedStage(manifest, p)).Distinct()],
        ["method", "lora", "eval.points", .. ManifestRules.RunsRl(manifest.Method) ? ["rl.prompt"] : Array.Empty<string>()]);

    /// <inheritdoc />
    public void Execute(StageContext context)
    {
        var metrics = new Dictionary<string, double>();
        if (context.Manifest.Eval.Points.Contains(EvalPoint.Base))
        {
            foreach (var (name, value) in MetricsFile.Read(Path.Combine(context.UpstreamDirectory(StageKinds.EvalBase), MetricsFile.FileName)))
                metrics[name] = value;
            context.Log("eval @ base: taken from the shared eval-base artifact");
        }
        var points = TrainedPoints(context.Manifest.Eval);
        if (points.Count > 0)
        {
            using var scope = torch.NewDisposeScope();
            using var base_ = BaseModel.Load(context);
            var adapters = AdapterState.Prepare(context, base_, null, dropout: 0);
            base_.Model.eval();
            var trained = EvalSuite.Run(context, base_, points, point => LoadTrained(context, adapters, point));
            foreach (var (name, value) in trained) metrics[name] = value;
        }
        foreach (var (name, value) in AnswerChanges.Metrics(EvalSuite.AnswerSets, PointFolders(context, points))) metrics[name] = value;
        MetricsFile.Write(context.OutputPath(MetricsFile.FileName), metrics);
    }

    /// <summary>Where each evaluated point's per-question results lie, in order: the base in the shared eval-base artifact.</summary>
    private static IReadOnlyList<(EvalPoint, string)> PointFolders(StageContext context, IReadOnlyList<EvalPoint> trained) =>
        [.. context.Manifest.Eval.Points.Contains(EvalPoint.Base) ? [(EvalPoint.Base, context.UpstreamDirectory(StageKinds.EvalBase))] : Array.Empty<(EvalPoint, string)>(),
         .. trained.Order().Select(p => (p, context.OutputDirectory))];

    private static IReadOnlyList<EvalPoint> TrainedPoints(EvalSection eval) => eval.Points.Where(p => p != EvalPoint.Base).Distinct().ToList();

    private static string TrainedStage(PipelineManifest manifest, EvalPoint point) => TrainedAdapter(manifest, point).Stage;

    /// <summary>
    /// The stage and the adapter folder inside its artifact that <paramref name="point"/> evaluates: stage 1 is the recipe's first
    /// training stage, stage 2 its last; for a recipe with one training stage (<c>sft</c>, <c>lora-par-sft</c>) stage 1 is the
    /// adapter after the first epoch and stage 2 the one after the last, so a two-epoch baseline gives Table 4's 1-epoch and
    /// 2-epoch cells from one run.
    /// </summary>
    public static (string Stage, string Folder) TrainedAdapter(PipelineManifest manifest, EvalPoint point) =>
        point == EvalPoint.Stage1 && !ManifestRules.RunsRl(manifest.Method) && AdapterState.EpochSnapshots(manifest) > 0
            ? (StageKinds.Sft, AdapterState.EpochFolder(1))
            : (point == EvalPoint.Stage1 ? StageOrder.First(manifest.Method) : StageOrder.Last(manifest.Method), AdapterState.AdapterFolder);

    /// <summary>
    /// Loads the adapter <see cref="TrainedAdapter"/> names for <paramref name="point"/> and merges it into the base weights
    /// while that point is evaluated (float32 only; see <see cref="MergedInference"/>).
    /// </summary>
    private static MergedInference? LoadTrained(StageContext context, LoraAdapterSet adapters, EvalPoint point)
    {
        var (stage, folder) = TrainedAdapter(context.Manifest, point);
        context.Log($"eval @ {point.ToString().ToLowerInvariant()}: {stage}/{folder}");
        AdapterState.Load(adapters, Path.Combine(context.UpstreamDirectory(stage), folder));
        return MergedInference.Open(adapters);
    }
}
