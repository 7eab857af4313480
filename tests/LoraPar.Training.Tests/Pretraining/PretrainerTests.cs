using LoraPar.Core;
using LoraPar.Model.Checkpoints;
using LoraPar.Model.Runtime;
using LoraPar.Model.Tokenizers;
using LoraPar.Training.Pretraining;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Training.Tests.Pretraining;

[Collection(GlobalRngCollection.Name)]
public sealed class PretrainerTests
{
    internal static readonly CharTokenizer Tokenizer = CharTokenizer.Create("0123456789+= abcdefghijklmnopqrstuvwxyz?\n");

    internal static readonly PretrainOptions Tiny = new()
    {
        Layers = 2, Hidden = 32, Heads = 4, KeyValueHeads = 2, MaxPositions = 64, SequenceLength = 32, BatchSize = 8, Steps = 40,
        LearningRate = 1e-2, MinLearningRate = 1e-3, LogEvery = 10, Seed = 5,
    };

    public PretrainerTests() => TorchRuntime.EnsureInitialized();

    internal static IEnumerable<string> Corpus() =>
        from a in Enumerable.Range(0, 6) from b in Enumerable.Range(0, 6) select $"what is {a}+{b}? {a + b}\n";

    [Fact]
    public void Pretraining_lowers_the_next_token_loss_and_reports_every_step()
    {
        using var result = Pretrainer.Train(Corpus(), Tokenizer, Tiny, CPU);
        var losses = result.Report.StepLosses;
        Assert.Equal(40, losses.Count);
        Assert.True(result.Report.FinalLoss < 0.6 * losses.Take(3).Average(), $"{losses[0]:0.000} → {result.Report.FinalLoss:0.000}");
        Assert.Equal(40L * 8 * 32, result.Report.Tokens);
    }

    [Fact]
    public void The_same_seed_gives_the_same_weights()
    {
        using var first = Pretrainer.Train(Corpus(), Tokenizer, Tiny with { Steps = 5 }, CPU);
        using var second = Pretrainer.Train(Corpus(), Tokenizer, Tiny with { Steps = 5 }, CPU);
        foreach (var (name, p) in first.Model.named_parameters())
            Assert.True(p.equal(second.Model.get_parameter(name)!).all().item<bool>(), name);
    }

    [Fact]
    public void The_saved_folder_loads_back_as_a_hugging_face_model_with_the_same_tokenizer_and_logits()
    {
        using var dir = new TempFolder();
        using var trained = Pretrainer.Train(Corpus(), Tokenizer, Tiny with { Steps = 3 }, CPU);
        trained.Save(dir.Sub("base"));
        trained.Save(dir.Sub("base"));                                   // replacing an existing folder works too
        using var loaded = HfCheckpoint.Load(dir.Sub("base"));
        var tokenizer = TokenizerLoader.Load(dir.Sub("base"));
        Assert.Equal(Tokenizer.Encode("what is 1+2? 3"), tokenizer.Encode("what is 1+2? 3"));
        using var scope = NewDisposeScope();
        var ids = tensor(Tokenizer.Encode("what is 4+1?").Select(i => (long)i).ToArray()).unsqueeze(0);   // (1, T)
        using var noGrad = no_grad();
        Assert.True(trained.Model.call(ids).equal(loaded.call(ids)).all().item<bool>());
        Assert.DoesNotContain(Directory.GetDirectories(dir.Path), d => Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public void Windows_are_a_pure_function_of_seed_and_step_and_documents_are_framed_by_bos_and_eos()
    {
        var stream = TokenStream.Encode(["ab", "c"], Tokenizer);
        Assert.Equal([Tokenizer.BosId!.Value, .. Tokenizer.Encode("ab", addBos: false), Tokenizer.EosId,
            Tokenizer.BosId!.Value, .. Tokenizer.Encode("c", addBos: false), Tokenizer.EosId], stream.Ids);
        Assert.Equal(stream.Windows(4, 3, 7, 2), stream.Windows(4, 3, 7, 2));
        Assert.NotEqual(stream.Windows(8, 3, 7, 2), stream.Windows(8, 3, 7, 3));
        Assert.Throws<BadInputException>(() => stream.Windows(1, 8, 7, 0));
        Assert.Throws<BadInputException>(() => TokenStream.Encode([], Tokenizer));
    }

    [Fact]
    public void Document_aligned_windows_open_at_a_bos_and_any_token_windows_do_not_all()
    {
        var stream = TokenStream.Encode(["abcde", "fg", "hijkl", "mn", "opqrs"], Tokenizer);
        var bos = Tokenizer.BosId!.Value;
        var aligned = stream.Windows(64, 6, 3, 0, WindowAlignment.DocumentStart);
        var firsts = Enumerable.Range(0, 64).Select(r => aligned[r * 6]).ToList();
        Assert.All(firsts, id => Assert.Equal(bos, id));
        var starts = Enumerable.Range(0, 64).Select(r => string.Join(",", aligned.Skip(r * 6).Take(6))).Distinct().Count();
        Assert.Equal(5, starts);                               // 29 tokens: each of the 5 documents starts at or before 29 − 6
        var short_ = TokenStream.Encode(["abcde", "fg"], Tokenizer).Windows(16, 8, 3, 0, WindowAlignment.DocumentStart);
        Assert.All(Enumerable.Range(0, 16), r => Assert.Equal(Tokenizer.Encode("abcde", addBos: true)[1], (int)short_[r * 8 + 1]));   // 11 tokens: only the first document leaves 8
        var any = stream.Windows(64, 6, 3, 0, WindowAlignment.AnyToken);
        Assert.Contains(Enumerable.Range(0, 64), r => any[r * 6] != bos);
    }

    [Fact]
    public void Invalid_options_are_reported_together()
    {
        var error = Assert.Throws<BadInputException>(() => (Tiny with { Hidden = 30, Steps = 0, SequenceLength = 100 }).Validated());
        Assert.Contains("hidden = 30", error.Message);
        Assert.Contains("steps = 0", error.Message);
        Assert.Contains("sequence_length = 100", error.Message);
    }
}
