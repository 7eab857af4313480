using LoraPar.Core;
using LoraPar.Training.Checkpointing;
using LoraPar.Training.Grpo;
using LoraPar.Training.Grpo.Rewards;
using static TorchSharp.torch;

namespace LoraPar.Training.Tests.Grpo;

[Collection(GlobalRngCollection.Name)]
public sealed class GrpoTrainerTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void Grpo_raises_the_mean_reward_of_a_toy_task_within_a_bounded_number_of_steps()
    {
        using var lm = new TinyLm();
        using var dir = new TempFolder();
        using var mask = ToyGrpo.Stage2Mask(lm);
        var options = ToyGrpo.Options(steps: 20);
        var result = new GrpoTrainer(lm.Model, lm.Tokenizer, lm.Adapters, mask, options, ToyGrpo.Reward(options))
            .Train(ToyGrpo.Data(), new TrainingRun(dir.Path, "tiny"));

        var rewards = result.History.Select(h => h.Sampled!.Total.Mean).ToList();
        foreach (var h in result.History) output.WriteLine($"{h.Step} r={h.Sampled!.Total.Mean:0.000} len={h.Sampled.MeanCompletionLength:0.0} gen={h.GenerationSeconds:0.000} ref={h.ReferenceSeconds:0.000} upd={h.UpdateSeconds:0.000} kl={h.Kl:0.0000}");
        var (first, last) = (rewards.Take(5).Average(), rewards.TakeLast(5).Average());
        Assert.True(last > 2 * first + 0.05, $"mean reward {first:0.000} → {last:0.000}: {string.Join(" ", rewards.Select(r => r.ToString("0.00")))}");
    }

    [Fact]
    public void Frozen_elements_are_bit_identical_after_the_stage_and_active_ones_moved()
    {
        using var lm = new TinyLm();
        using var dir = new TempFolder();
        using var mask = ToyGrpo.Stage2Mask(lm, 0.3);
        var start = lm.Snapshot();
        var options = ToyGrpo.Options(steps: 4) with { WeightDecay = 0.1 };
        var result = new GrpoTrainer(lm.Model, lm.Tokenizer, lm.Adapters, mask, options, ToyGrpo.Reward(options))
            .Train(ToyGrpo.Data(), new TrainingRun(dir.Path, "tiny"));
        long movedActive = 0;
        foreach (var (key, now) in lm.Adapters.Tensors)
        {
            var frozen = mask.Masks[key].logical_not();
            Assert.Equal(start[key].masked_select(frozen).bytes.ToArray(), now.detach().masked_select(frozen).bytes.ToArray());
            movedActive += now.detach().masked_select(mask.Masks[key]).ne(start[key].masked_select(mask.Masks[key])).sum().item<long>();
        }
        Assert.True(movedActive > mask.TotalActive / 2, $"{movedActive} of {mask.TotalActive} active elements moved");
        Assert.Equal(mask.TotalElements - mask.TotalActive, result.FrozenElementsChecked);
        Assert.Equal(mask.TotalActive, result.TrainableElements);
        Assert.Equal(mask.TotalActive, result.ReferenceElements);
    }

    [Fact]
    public void Base_weights_are_bit_identical_after_the_stage_although_rollouts_sample_from_merged_weights()
    {
        using var lm = new TinyLm();
        using var dir = new TempFolder();
        using var mask = ToyGrpo.Stage2Mask(lm);
        Assert.True(LoraPar.Adapters.MergedInference.Applies(lm.Adapters));           // float32: every rollout merges and restores
        var lora = lm.Adapters.Tensors.Keys.ToHashSet();
        var before = lm.Model.named_parameters().Where(p => !lora.Contains(p.name)).ToDictionary(p => p.name, p => p.parameter.detach().contiguous().clone());
        var options = ToyGrpo.Options(steps: 4);
        new GrpoTrainer(lm.Model, lm.Tokenizer, lm.Adapters, mask, options, ToyGrpo.Reward(options)).Train(ToyGrpo.Data(), new TrainingRun(dir.Path, "tiny"));
        Assert.True(before.Count > 0);
        foreach (var (name, now) in lm.Model.named_parameters().Where(p => !lora.Contains(p.name)))
            Assert.True(before[name].bytes.ToArray().AsSpan().SequenceEqual(now.detach().contiguous().bytes.ToArray()), $"{name} changed");
        Assert.All(lm.Adapters.Layers.Values, l => Assert.False(l.Merged));
    }

    [Fact]
    public void Prompts_come_only_from_the_given_split_each_once_per_epoch()
    {
        using var lm = new TinyLm();
        using var dir = new TempFolder();
        using var mask = ToyGrpo.Stage2Mask(lm);
        var d2 = ToyGrpo.Prompts().Where((_, i) => i % 3 == 0).ToList();               // 9 of the 25 questions
        var built = new List<string>();
        var reward = new RecordingReward();
        var options = ToyGrpo.Options(steps: 1) with { MaxSteps = null, Epochs = 2, PromptsPerBatch = 2, GradientAccumulationSteps = 2 };
        var result = new GrpoTrainer(lm.Model, lm.Tokenizer, lm.Adapters, mask, options, reward)
            .Train(new GrpoData(d2, q => { built.Add(q); return ToyGrpo.Prompt(q); }), new TrainingRun(dir.Path, "tiny"));

        Assert.Equal(2 * 3, result.Steps);                                                   // ⌈9 / 4⌉ rollouts × 2 epochs
        Assert.Equal(2 * d2.Count, built.Count);
        Assert.Equal(d2.Select(p => p.Question).Order(), built.Take(d2.Count).Order());
        Assert.Equal(d2.Select(p => p.Question).Order(), built.Skip(d2.Count).Order());
        Assert.NotEqual(built.Take(d2.Count), built.Skip(d2.Count));                          // each epoch reshuffles
        Assert.Equal(2 * d2.Count * options.NumGenerations, reward.Golds.Count);
        Assert.Equal(d2.Select(p => p.Gold).ToHashSet(), reward.Golds.ToHashSet());
    }

    [Fact]
    public void An_empty_split_is_bad_input()
    {
        using var lm = new TinyLm();
        using var dir = new TempFolder();
        var trainer = new GrpoTrainer(lm.Model, lm.Tokenizer, lm.Adapters, lm.Masks, ToyGrpo.Options(2));
        var error = Assert.Throws<BadInputException>(() => trainer.Train(new GrpoData([], ToyGrpo.Prompt), new TrainingRun(dir.Path, "tiny")));
        Assert.Contains("prompt split is empty", error.Message);
        Assert.Contains("System-2", error.Message);
    }

    [Fact]
    public void A_nan_reward_stops_the_stage_naming_the_step_and_keeping_the_last_good_checkpoint()
    {
        using var lm = new TinyLm();
        using var dir = new TempFolder();
        var options = ToyGrpo.Options(steps: 6) with { CheckpointEvery = 2 };
        var reward = new RecordingReward { NanAtCall = 4 };
        var before = lm.Snapshot();
        var error = Assert.Throws<JobFailedException>(() => new GrpoTrainer(lm.Model, lm.Tokenizer, lm.Adapters, lm.Masks, options, reward)
            .Train(ToyGrpo.Data(), new TrainingRun(dir.Path, "tiny")));
        Assert.Contains("grpo: the reward became NaN at step 4 of 6", error.Message);               // named before it reaches the loss
        var kept = Path.Combine(dir.Path, TrainingCheckpoint.FolderName(2));
        Assert.Contains(kept, error.Message);
        Assert.Equal(kept, TrainingCheckpoint.Latest(dir.Path));
        Assert.All(lm.Adapters.Tensors.Values, t => Assert.False(t.detach().isnan().any().item<bool>()));
    }

    [Fact]
    public void The_monitor_gets_rewards_per_function_kl_clipping_length_accuracy_lr_grad_norm_and_throughput()
    {
        using var lm = new TinyLm();
        using var dir = new TempFolder();
        var recorder = new GrpoRecorder();
        var options = ToyGrpo.Options(steps: 4) with { NumIterations = 2, LogEvery = 2, WarmupRatio = 0, Rewards = new RewardWeights() };
        var result = new GrpoTrainer(lm.Model, lm.Tokenizer, lm.Adapters, lm.Masks, options)
            .Train(ToyGrpo.Data(), new TrainingRun(dir.Path, "tiny"), recorder);

        Assert.Equal([2, 4], recorder.Steps.Select(s => s.Step));
        var log = recorder.Steps[^1];
        Assert.Equal("grpo", log.Stage);
        foreach (var name in new[] { "correctness", "integer_answer", "strict_format", "soft_format", "xml_tag_count" })
        {
            Assert.Contains(GrpoMetrics.RewardMean(name), log.Extra.Keys);
            Assert.Contains(GrpoMetrics.RewardStdOf(name), log.Extra.Keys);
        }
        foreach (var key in new[] { GrpoMetrics.Reward, GrpoMetrics.RewardStd, GrpoMetrics.Kl, GrpoMetrics.ClipFraction, GrpoMetrics.CompletionLength,
                     GrpoMetrics.Accuracy, GrpoMetrics.CompletionsPerSecond, GrpoMetrics.Ratio, GrpoMetrics.TruncatedFraction, GrpoMetrics.ZeroStdFraction })
            Assert.True(double.IsFinite(log.Extra[key]), key);
        Assert.InRange(log.Extra[GrpoMetrics.CompletionLength], 1, options.MaxCompletionLength);
        Assert.True(log.Extra[GrpoMetrics.CompletionsPerSecond] > 0);
        Assert.True(log.Extra[GrpoMetrics.Kl] >= 0);
        Assert.True(log.LearningRate > 0 && double.IsFinite(log.GradNorm) && log.TokensPerSecond > 0);
        Assert.Equal(4, Assert.Single(recorder.Checkpoints).Step);
    }

    [Fact]
    public void With_two_iterations_each_rollout_feeds_two_updates_against_the_sampling_policys_log_probs()
    {
        using var lm = new TinyLm();
        using var dir = new TempFolder();
        var options = ToyGrpo.Options(steps: 4) with { NumIterations = 2, WarmupRatio = 0 };
        var result = new GrpoTrainer(lm.Model, lm.Tokenizer, lm.Adapters, lm.Masks, options, ToyGrpo.Reward(options))
            .Train(ToyGrpo.Data(), new TrainingRun(dir.Path, "tiny"));

        Assert.Equal([0, 0, 1, 1], result.History.Select(h => h.Rollout));
        Assert.Equal([true, false, true, false], result.History.Select(h => h.Sampled is not null));
        Assert.Equal(1.0, result.History[0].MeanRatio, 5);                                   // π_old is the policy that sampled
        Assert.Equal(0.0, result.History[0].ClipFraction);
        Assert.NotEqual(1.0, result.History[1].MeanRatio, 3);                                // the second update sees a moved policy
        Assert.Equal(1.0, result.History[2].MeanRatio, 5);
    }

    /// <summary>Rewards every completion 0 or 1 by parity of its length, records the golds, and can return NaN on one call.</summary>
    private sealed class RecordingReward : IGrpoReward
    {
        private int calls;

        public List<string> Golds { get; } = [];
        public int? NanAtCall { get; init; }

        public RewardScores Score(IReadOnlyList<string> completions, IReadOnlyList<GrpoExample> examples)
        {
            Golds.AddRange(examples.Select(e => e.Gold));
            var nan = ++calls == NanAtCall;
            var values = completions.Select(c => nan ? double.NaN : c.Length % 2).ToArray();
            return new RewardScores(new Dictionary<string, double[]> { ["parity"] = values }, values, null);
        }
    }
}
