using LoraPar.Training.Checkpointing;
using LoraPar.Training.Grpo;

namespace LoraPar.Training.Tests.Grpo;

[Collection(GlobalRngCollection.Name)]
public sealed class GrpoTruncationTests
{
    [Fact]
    public void Prompts_keep_only_their_last_max_prompt_length_tokens()
    {
        const string tail = "What is 1+2?\n";
        var options = ToyGrpo.Options(steps: 2) with { MaxPromptLength = tail.Length };
        var a = Run(options, _ => "Q: 3+3=6 4+4=8 " + tail);
        var b = Run(options, _ => "Q: 99 " + tail);
        var c = Run(options with { MaxPromptLength = 64 }, _ => "Q: 99 " + tail);
        Assert.Equal(a, b);                                                                  // same last tokens, same run
        Assert.NotEqual(b, c);                                                               // the head matters when it is kept
    }

    [Fact]
    public void Completions_cut_at_the_length_limit_can_be_left_out_of_the_loss()
    {
        var options = ToyGrpo.Options(steps: 1) with { MaxCompletionLength = 1, WeightDecay = 0 };
        var masked = Train(options with { MaskTruncatedCompletions = true });
        var kept = Train(options);
        Assert.Equal(1.0, masked.Sampled!.TruncatedFraction);
        Assert.Equal(0.0, masked.GradNorm);
        Assert.True(kept.GradNorm > 0, $"grad norm {kept.GradNorm}");
    }

    private static string Run(GrpoOptions options, Func<string, string> prompt)
    {
        using var lm = new TinyLm();
        using var dir = new TempFolder();
        var result = new GrpoTrainer(lm.Model, lm.Tokenizer, lm.Adapters, lm.Masks, options, ToyGrpo.Reward(options))
            .Train(new GrpoData(ToyGrpo.Prompts(4), prompt), new TrainingRun(dir.Path, "tiny"));
        return string.Join(" ", result.History.Select(h => FormattableString.Invariant($"{h.Loss:R}/{h.GradNorm:R}/{h.Sampled!.Total.Mean:R}")));
    }

    private static GrpoStepRecord Train(GrpoOptions options)
    {
        using var lm = new TinyLm();
        using var dir = new TempFolder();
        var reward = new TextReward(text => text.Length == 0 ? 0 : text[0] % 2);
        return new GrpoTrainer(lm.Model, lm.Tokenizer, lm.Adapters, lm.Masks, options, reward)
            .Train(ToyGrpo.Data(4), new TrainingRun(dir.Path, "tiny")).History.Single();
    }
}
