using LoraPar.Model.Generation;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Progress;
using LoraPar.Pipeline.Stages;
using LoraPar.Pipeline.Stages.Data;
using LoraPar.Pipeline.Stages.Eval;

namespace LoraPar.Pipeline.Tests.Stages.Eval;

public sealed class AnswerAccuracyTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("lorapar-answers-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Gsm8k_is_reported_by_lorapar_and_by_lm_eval_side_by_side()
    {
        // Gold 72 each time. lorapar: numbers compare as numbers, strict reads "####72"; lm-eval: strings after its
        // normalisation, strict needs "#### " then [-0-9.,], flexible takes the last digits anywhere.
        string[] outputs = ["So 72.\n#### 72", "####72", "The answer is 72.0", "#### 72 apples, 3 left"];
        var rows = outputs.Select((_, i) => new DatasetRow($"q{i}", "?", "#### 72", $"Q{i}", "", Gold: "72")).ToList();
        var generator = new Scripted(prompt => outputs[int.Parse(prompt[1..], System.Globalization.CultureInfo.InvariantCulture)]);
        var set = new AnswerAccuracy("gsm8k", rows, r => r.Prompt, new GenerationOptions(), BatchSize: 3) { LmEvalMetrics = true };

        var metrics = set.Evaluate(new EvalTarget(generator, null!, "stage1"), Run());

        Assert.Equal(75.0, metrics["gsm8k_accuracy_stage1"]);              // all but "The answer is 72.0" (nothing marked)
        Assert.Equal(75.0, metrics["gsm8k_accuracy_stage1_flexible"]);     // all but the last, whose last number is 3
        Assert.Equal(50.0, metrics["gsm8k_lmeval_strict_stage1"]);         // "#### 72" twice; "####72" has no space
        Assert.Equal(50.0, metrics["gsm8k_lmeval_flexible_stage1"]);       // "72" twice; "72.0" is not "72", and "3"
        Assert.DoesNotContain("synthetic_s1_lmeval_strict_stage1",
            new AnswerAccuracy("synthetic_s1", rows, r => r.Prompt, new GenerationOptions(), 3).Evaluate(new EvalTarget(generator, null!, "stage1"), Run()).Keys);
    }

    private EvalRun Run()
    {
        var partial = Path.Combine(_folder, "partial", Guid.NewGuid().ToString("N"));
        var context = new StageContext(new PipelineManifest(), "key", Path.Combine(_folder, "out"), new Dictionary<string, string>(),
            new Dictionary<string, string>(), NullProgressReporter.Instance, _ => { }, CancellationToken.None, () => partial);
        return new EvalRun(context, NullProgressReporter.Instance.Start("eval", 1));
    }

    private sealed class Scripted(Func<string, string> answer) : ITextGenerator
    {
        public IReadOnlyList<GeneratedText> Generate(IReadOnlyList<string> prompts, GenerationOptions options) =>
            prompts.Select(p => new GeneratedText(answer(p), [], [], FinishReason.Eos)).ToList();
    }
}
