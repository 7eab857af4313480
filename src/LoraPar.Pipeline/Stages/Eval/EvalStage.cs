using LoraPar.Adapters;
using LoraPar.Core;
using LoraPar.Model.Generation;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Stages.Data;
using LoraPar.Pipeline.Stages.Modeling;
using LoraPar.Pipeline.Stages.Training;
using LoraPar.Synthetic;
using TorchSharp;

namespace LoraPar.Pipeline.Stages.Eval;

/// <summary>
/// The <c>eval</c> stage: greedy exact-match accuracy at each model state the manifest lists — the base (adapters off), after
/// the recipe's first training stage and after its last. The synthetic task is scored per system, each in the prompt format
/// its stage trains (System 1 as <c>Question/Answer</c>, System 2 with reasoning tags); GSM8K on the eval file's questions.
/// Metrics (percent): <c>synthetic_s{1,2}_accuracy_{point}</c> / <c>gsm8k_accuracy_{point}</c>, with <c>_flexible</c> twins.
/// </summary>
public sealed class EvalStage : IStage
{
    /// <inheritdoc />
    public string Kind => StageKinds.Eval;

    /// <inheritdoc />
    public int Version => 1;

    /// <inheritdoc />
    public StageDeclaration? Declare(PipelineManifest manifest) => new(
        [StageKinds.Data, .. TrainedStages(manifest), .. StageInputs.BaseUpstream(manifest)],
        [.. StageInputs.BaseReads, "method", "lora", "eval"],
        StageInputs.BaseInputs(manifest));

    /// <inheritdoc />
    public void Execute(StageContext context)
    {
        var manifest = context.Manifest;
        var unsupported = manifest.Eval.Benchmarks.Where(b => b is not (Benchmark.Gsm8k or Benchmark.Synthetic)).ToList();
        if (unsupported.Count > 0)
            throw new BadInputException($"eval.benchmarks: {string.Join(", ", unsupported.Select(KebabCase.Name))} is not run by the pipeline's eval stage yet; "
                + "use `gsm8k` or `synthetic` here (the MMLU and HumanEval evaluators exist as a library in LoraPar.Evaluation)");
        using var scope = torch.NewDisposeScope();
        using var base_ = BaseModel.Load(context);
        var adapters = AdapterState.Prepare(context, base_, null, dropout: 0);
        base_.Model.eval();
        var generator = new Generator(base_.Model, base_.Tokenizer);
        var sets = EvalSets(context);
        using var bar = context.Progress.Start("eval", manifest.Eval.Points.Count * sets.Sum(s => s.Rows.Count), "answers");
        var metrics = new Dictionary<string, double>();
        foreach (var point in manifest.Eval.Points)
        {
            using var state = point == EvalPoint.Base ? adapters.Disabled() : null;
            if (point != EvalPoint.Base) LoadTrained(context, adapters, point);
            foreach (var set in sets)
            {
                var file = context.OutputPath($"{set.Name}_{KebabCase.Name(point)}.jsonl");
                var result = AnswerAccuracy.Evaluate(generator, set.Rows, set.Prompt, Options(manifest.Eval), manifest.Eval.BatchSize, file,
                    n => bar.Advance(n), context.Cancellation);
                metrics[$"{set.Name}_accuracy_{KebabCase.Name(point)}"] = result.StrictPercent;
                metrics[$"{set.Name}_accuracy_{KebabCase.Name(point)}_flexible"] = result.FlexiblePercent;
                context.Log($"{set.Name} @ {KebabCase.Name(point)}: strict {result.StrictPercent:F1}%, flexible {result.FlexiblePercent:F1}% of {result.Count}");
            }
        }
        MetricsFile.Write(context.OutputPath(MetricsFile.FileName), metrics);
    }

    private static IEnumerable<string> TrainedStages(PipelineManifest manifest) =>
        new[] { StageOrder.First(manifest.Method), StageOrder.Last(manifest.Method) }.Distinct();

    private static GenerationOptions Options(EvalSection eval) => new()
    {
        MaxNewTokens = eval.MaxNewTokens,
        Temperature = eval.Temperature,
        StopStrings = AnswerAccuracy.StopStrings,
    };

    /// <summary>Loads the adapter trained by the stage <paramref name="point"/> names (stage 1: the recipe's first, stage 2: its last).</summary>
    private static void LoadTrained(StageContext context, LoraAdapterSet adapters, EvalPoint point)
    {
        var stage = point == EvalPoint.Stage1 ? StageOrder.First(context.Manifest.Method) : StageOrder.Last(context.Manifest.Method);
        AdapterState.Load(adapters, Path.Combine(context.UpstreamDirectory(stage), AdapterState.AdapterFolder));
    }

    private static IReadOnlyList<EvalSet> EvalSets(StageContext context)
    {
        var data = context.UpstreamDirectory(StageKinds.Data);
        var limit = context.Manifest.Eval.Limit;
        IReadOnlyList<DatasetRow> Read(string file)
        {
            var rows = DatasetRows.Read(Path.Combine(data, file));
            return limit > 0 ? rows.Take(limit).ToList() : rows;
        }
        if (context.Manifest.Data.Dataset == DatasetKind.Synthetic)
            return
            [
                new EvalSet("synthetic_s1", Read(DataStage.EvalSystem1File), r => TaskPrompt.Prompt(r.Question, PromptStyle.Gsm8k)),
                new EvalSet("synthetic_s2", Read(DataStage.EvalSystem2File), r => TaskPrompt.Prompt(r.Question, PromptStyle.ReasoningTags)),
            ];
        return [new EvalSet("gsm8k", Read(DataStage.EvalFile), r => r.Prompt)];
    }

    private sealed record EvalSet(string Name, IReadOnlyList<DatasetRow> Rows, Func<DatasetRow, string> Prompt);
}
