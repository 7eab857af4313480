using LoraPar.Model.Checkpoints;
using LoraPar.Model.Llama;
using LoraPar.Model.Runtime;
using LoraPar.Model.Tokenizers;
using LoraPar.TestSupport;

namespace LoraPar.PaperMini.Tests;

/// <summary>
/// A checkpoint whose tokenizer has more tokens than its embedding (LLaMA-2's 32,000-token tokenizer beside a 64-row model) is
/// refused when the model and tokenizer are loaded, in one line naming both sizes and with exit code 2, instead of libtorch's
/// "index out of range" dump; the <see cref="TinyCheckpoint"/> itself fits.
/// </summary>
public sealed class VocabularyFitTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("lorapar-vocab-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [SkippableFact]
    public void The_tiny_checkpoint_fits_its_tokenizer_and_a_shrunk_embedding_is_refused_with_exit_2_in_one_line()
    {
        var spm = SharedData.Require("models/llama2-tokenizer/tokenizer.model");
        TorchRuntime.EnsureInitialized();
        var fits = TinyCheckpoint.Write(Path.Combine(_root, "fits"), spm, new TinyCheckpointShape(), seed: 1);
        var config = LlamaConfig.Load(Path.Combine(fits, HfCheckpoint.ConfigFile));
        var tokenizer = TokenizerLoader.Load(fits);
        Assert.Equal(32000, config.VocabSize);
        Assert.Null(VocabularyFit.Problem(config, tokenizer, fits));
        Assert.Equal([1, 450, 4996], tokenizer.Encode("The quick").Take(3));

        var shrunk = Path.Combine(_root, "shrunk");
        using (var model = TinyModelFactory.Create(TinyModelFactory.Config(64, hidden: 32), seed: 1)) HfCheckpoint.Save(model, shrunk);
        File.Copy(spm, Path.Combine(shrunk, TokenizerLoader.SentencePieceFile));
        var manifest = Path.Combine(_root, "m.toml");
        File.WriteAllText(manifest, "method = \"sft\"\ndevice = \"cpu\"\nartifacts = \"artifacts\"\n[model]\nsource = \"checkpoint\"\npath = \"shrunk\"\n");
        foreach (var args in new[] { new[] { "run", manifest }, ["run", "--stage", "scores", manifest] })
        {
            var (code, _, stderr) = PaperMiniKit.Cli(args);
            Assert.Equal(2, code);
            var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("the tokenizer has 32000 tokens but config.json has vocab_size = 64", line);
            Assert.DoesNotContain("index out of range", line);
        }
    }
}
