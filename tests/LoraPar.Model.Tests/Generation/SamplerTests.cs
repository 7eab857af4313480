using LoraPar.Model.Generation;
using TorchSharp;

namespace LoraPar.Model.Tests.Generation;

public sealed class SamplerTests : TorchTest
{
    private static float[] Row(torch.Tensor t) => t.data<float>().ToArray();

    [Fact]
    public void Top_k_keeps_the_k_largest_logits()
    {
        using var logits = torch.tensor(new[] { 1f, 4f, 2f, 3f }).view(1, 4);
        Assert.Equal([float.NegativeInfinity, 4f, float.NegativeInfinity, 3f], Row(Sampler.Filter(logits, 2, 1.0)));
    }

    [Fact]
    public void Top_p_keeps_the_smallest_prefix_reaching_p_and_always_the_best_token()
    {
        using var logits = torch.tensor(new[] { 0.1f, 0.4f, 0.2f, 0.3f }).log().view(1, 4);
        // by probability 0.4, 0.3, 0.2, 0.1: mass before each = 0, 0.4, 0.7, 0.9
        var p06 = Row(Sampler.Filter(logits, 0, 0.6));
        Assert.Equal([false, true, false, true], p06.Select(float.IsFinite));
        var p01 = Row(Sampler.Filter(logits, 0, 0.1));
        Assert.Equal([false, true, false, false], p01.Select(float.IsFinite));
    }

    [Fact]
    public void Greedy_picks_the_argmax_with_its_log_softmax()
    {
        using var logits = torch.tensor(new[] { 0f, 2f, 1f }).view(1, 3);
        var (tokens, logProbs) = Sampler.Next(logits, new GenerationOptions(), null);
        Assert.Equal(1, tokens.item<long>());
        Assert.Equal(2 - Math.Log(1 + Math.Exp(2) + Math.Exp(1)), logProbs.item<float>(), 5);
    }

    [Fact]
    public void Sampled_log_prob_is_of_the_tempered_uncut_distribution()
    {
        using var logits = torch.tensor(new[] { 0f, 2f, 1f }).view(1, 3);
        using var generator = new torch.Generator(1, torch.CPU);
        var (tokens, logProbs) = Sampler.Next(logits, new GenerationOptions { Temperature = 2, TopK = 1 }, generator);
        Assert.Equal(1, tokens.item<long>());
        Assert.Equal(1 - Math.Log(1 + Math.Exp(1) + Math.Exp(0.5)), logProbs.item<float>(), 5);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Non_finite_logits_stop_before_libtorch_samples(float bad)
    {
        using var logits = torch.tensor(new[] { 0f, bad, 1f }).view(1, 3);
        using var generator = new torch.Generator(1, torch.CPU);
        Assert.Throws<NonFiniteLogitsException>(() => Sampler.Next(logits, new GenerationOptions { Temperature = 1 }, generator));
    }
}
