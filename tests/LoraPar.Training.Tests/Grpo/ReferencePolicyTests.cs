using LoraPar.Model.Generation;
using LoraPar.Training.Checkpointing;
using LoraPar.Training.Grpo;
using static TorchSharp.torch;

namespace LoraPar.Training.Tests.Grpo;

[Collection(GlobalRngCollection.Name)]
public sealed class ReferencePolicyTests
{
    private const double Temperature = 0.9;

    [Fact]
    public void Reference_log_probs_equal_the_stage_1_models_after_several_grpo_updates()
    {
        using var lm = new TinyLm();
        using var dir = new TempFolder();
        ToyGrpo.Stage1(lm, dir.Sub("sft"));
        using var mask = ToyGrpo.Stage2Mask(lm);
        var batch = FixedBatch(lm);
        var stage1 = LogProbs(lm, batch);
        using (lm.Adapters.Disabled()) Assert.NotEqual(stage1.bytes.ToArray(), LogProbs(lm, batch).bytes.ToArray());   // stage 1 is not the base model
        using var reference = ReferencePolicy.Capture(lm.Adapters.Tensors, lm.Adapters.Tensors, mask);

        var options = ToyGrpo.Options(steps: 4);
        var result = new GrpoTrainer(lm.Model, lm.Tokenizer, lm.Adapters, mask, options, ToyGrpo.Reward(options)).Train(ToyGrpo.Data(), new TrainingRun(dir.Sub("grpo"), "tiny"));
        Assert.Equal(0.0, result.History[0].Kl, 6);                                         // the trainer's own reference is the stage-1 policy too
        Assert.True(result.History[^1].Kl > 1e-4, $"KL after 4 steps: {result.History[^1].Kl}");

        var current = lm.Snapshot();
        lm.Model.eval();
        var fromReference = reference.TokenLogProbs(lm.Model, batch, Temperature);
        Assert.Equal(stage1.bytes.ToArray(), fromReference.bytes.ToArray());
        foreach (var (key, value) in lm.Adapters.Tensors) Assert.Equal(current[key].bytes.ToArray(), value.detach().bytes.ToArray());
        Assert.NotEqual(stage1.bytes.ToArray(), LogProbs(lm, batch).bytes.ToArray());                                    // the policy moved
    }

    [Fact]
    public void The_policy_is_restored_bit_for_bit_when_the_reference_forward_throws()
    {
        using var lm = new TinyLm();
        using var mask = ToyGrpo.Stage2Mask(lm);
        var stageStart = lm.Adapters.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone() + 0.5);
        using var reference = ReferencePolicy.Capture(lm.Adapters.Tensors, stageStart, mask);
        var before = lm.Snapshot();
        Tensor? seen = null;
        Assert.Throws<InvalidOperationException>(() => reference.Run<int>(() =>
        {
            seen = lm.Adapters.Tensors.Values.First().detach().clone();
            throw new InvalidOperationException("boom");
        }));
        var (key, first) = lm.Adapters.Tensors.First();
        var active = mask.Masks[key];
        Assert.Equal(stageStart[key].masked_select(active).bytes.ToArray(), seen!.masked_select(active).bytes.ToArray());
        Assert.Equal(before[key].masked_select(active.logical_not()).bytes.ToArray(), seen.masked_select(active.logical_not()).bytes.ToArray());
        foreach (var (k, value) in lm.Adapters.Tensors) Assert.Equal(before[k].bytes.ToArray(), value.detach().bytes.ToArray());
        Assert.Equal(mask.TotalActive, reference.Elements);
    }

    private static CompletionBatch FixedBatch(TinyLm lm)
    {
        IReadOnlyList<int> Prompt(string q) => lm.Tokenizer.Encode(ToyGrpo.Prompt(q));
        IReadOnlyList<int> Completion(string c) => lm.Tokenizer.Encode(c, addBos: false);
        return CompletionBatch.Create([Prompt("What is 1+2?"), Prompt("What is 44+3?")], [Completion("3"), Completion("47 is it")], lm.Tokenizer.PadId, CPU);
    }

    private static Tensor LogProbs(TinyLm lm, CompletionBatch batch)
    {
        lm.Model.eval();
        using var noGrad = no_grad();
        return SequenceScorer.TokenLogProbs(lm.Model, batch, Temperature);
    }
}
