using LoraPar.Model.Generation;
using LoraPar.Model.Llama;
using TorchSharp;

namespace LoraPar.Model.Tests.Generation;

public sealed class GeneratorTests : TorchTest, IDisposable
{
    private const int Vocab = 40;
    private readonly LlamaForCausalLM _model;

    // Field initialisers run before the base constructor loads TorchSharp, so the model is built here.
    public GeneratorTests() => _model = TinyModelFactory.Create(TinyModelFactory.Config(Vocab, hidden: 32, heads: 4, kvHeads: 2), seed: 21);

    public void Dispose() => _model.Dispose();

    private static readonly string[] Prompts = ["HELLO", "AB", "GENERATION IS FUN", "Q"];

    private Generator Make(params int[] eos) => new(_model, new TestTokenizer(Vocab, eos.Length > 0 ? eos : [-1]));

    [Fact]
    public void Batched_left_padded_greedy_decoding_equals_one_prompt_at_a_time()
    {
        var options = new GenerationOptions { MaxNewTokens = 12 };
        var generator = Make();
        var batched = generator.Generate(Prompts, options);
        for (var i = 0; i < Prompts.Length; i++)
        {
            var single = generator.Generate([Prompts[i]], options)[0];
            Assert.Equal(single.TokenIds, batched[i].TokenIds);
            Assert.Equal(single.Text, batched[i].Text);
            Assert.Equal(single.TokenLogProbs, batched[i].TokenLogProbs, new FloatTolerance(1e-4f));
        }
        Assert.All(batched, c => Assert.Equal((12, FinishReason.Length), (c.TokenIds.Count, c.Finish)));
    }

    [Fact]
    public void Sampling_with_a_seed_is_reproducible_and_another_seed_differs()
    {
        var generator = Make();
        var options = new GenerationOptions { MaxNewTokens = 16, Temperature = 1.5, TopP = 0.95, TopK = 30, Seed = 5 };
        var first = generator.Generate(Prompts, options);
        var again = generator.Generate(Prompts, options);
        var other = generator.Generate(Prompts, options with { Seed = 6 });
        Assert.Equal(first.Select(c => c.TokenIds), again.Select(c => c.TokenIds));
        Assert.NotEqual(first.Select(c => string.Join(",", c.TokenIds)), other.Select(c => string.Join(",", c.TokenIds)));
    }

    [Fact]
    public void A_stop_string_ends_the_row_and_is_cut_from_the_text()
    {
        var generator = Make();
        var free = generator.Generate(["HELLO"], new GenerationOptions { MaxNewTokens = 12 })[0];
        var stop = free.Text.Substring(4, 2);
        var stopped = generator.Generate(["HELLO"], new GenerationOptions { MaxNewTokens = 12, StopStrings = [stop] })[0];
        var cut = free.Text.IndexOf(stop, StringComparison.Ordinal);
        Assert.Equal(FinishReason.Stop, stopped.Finish);
        Assert.Equal(free.Text[..cut], stopped.Text);
        Assert.Equal(cut + stop.Length, stopped.TokenIds.Count);
        Assert.Equal(free.TokenIds.Take(stopped.TokenIds.Count), stopped.TokenIds);
    }

    [Fact]
    public void An_eos_token_ends_its_row_only()
    {
        var free = Make().Generate(Prompts, new GenerationOptions { MaxNewTokens = 10 });
        var eos = free[0].TokenIds[3];
        var ended = Make(eos).Generate(Prompts, new GenerationOptions { MaxNewTokens = 10 });
        var firstEos = free[0].TokenIds.ToList().IndexOf(eos);
        Assert.Equal(FinishReason.Eos, ended[0].Finish);
        Assert.Equal(free[0].TokenIds.Take(firstEos + 1), ended[0].TokenIds);
        for (var i = 1; i < Prompts.Length; i++)
        {
            var cut = free[i].TokenIds.ToList().IndexOf(eos);
            Assert.Equal(cut < 0 ? free[i].TokenIds : free[i].TokenIds.Take(cut + 1), ended[i].TokenIds);
        }
    }

    [Fact]
    public void Log_probs_of_sampled_tokens_equal_the_teacher_forced_log_probs()
    {
        var generator = Make();
        var options = new GenerationOptions { MaxNewTokens = 10, Temperature = 0.7, TopK = 12, TopP = 0.9, Seed = 3 };
        var completions = generator.Generate(Prompts, options);
        var prompts = Prompts.Select(p => generator.Tokenizer.Encode(p)).ToList();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var batch = CompletionBatch.Create(prompts, completions.Select(c => c.TokenIds).ToList(), 0, torch.CPU);
        var forced = SequenceScorer.TokenLogProbs(_model, batch, temperature: 0.7);
        for (var i = 0; i < Prompts.Length; i++)
        {
            var row = forced[i].narrow(0, 0, completions[i].TokenIds.Count).data<float>().ToArray();
            Assert.Equal(completions[i].TokenLogProbs, row, new FloatTolerance(1e-4f));
        }
    }

    [Fact]
    public void Training_works_on_a_model_that_has_generated()
    {
        var generator = Make();
        var completions = generator.Generate(["HELLO"], new GenerationOptions { MaxNewTokens = 4 });
        using var scope = torch.NewDisposeScope();
        var batch = CompletionBatch.Create([generator.Tokenizer.Encode("HELLO")], [completions[0].TokenIds], 0, torch.CPU);
        var loss = -SequenceScorer.TokenLogProbs(_model, batch).sum();
        loss.backward();
        Assert.NotNull(_model.model.layers[1].mlp.down_proj.parameters().First().grad);
        _model.zero_grad();
    }

    [Fact]
    public void A_bfloat16_model_generates_with_float32_log_probs()
    {
        using var half = TinyModelFactory.Create(_model.Config, seed: 21, dtype: torch.ScalarType.BFloat16);
        var completions = new LoraPar.Model.Generation.Generator(half, new TestTokenizer(Vocab, -1))
            .Generate(Prompts, new GenerationOptions { MaxNewTokens = 5, Temperature = 1, Seed = 9 });
        Assert.All(completions, c => Assert.Equal(5, c.TokenIds.Count));
        Assert.All(completions.SelectMany(c => c.TokenLogProbs), p => Assert.True(p <= 0 && float.IsFinite(p)));
    }

    [Fact]
    public void Zero_new_tokens_and_no_prompts_give_empty_results()
    {
        Assert.Empty(Make().Generate([], new GenerationOptions()));
        var none = Make().Generate(["AB"], new GenerationOptions { MaxNewTokens = 0 })[0];
        Assert.Equal(("", 0, FinishReason.Length), (none.Text, none.TokenIds.Count, none.Finish));
    }
}

internal sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
{
    public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
    public int GetHashCode(float obj) => 0;
}
