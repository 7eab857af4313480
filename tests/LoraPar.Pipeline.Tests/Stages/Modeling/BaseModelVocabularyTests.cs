using LoraPar.Core;
using LoraPar.Model.Checkpoints;
using LoraPar.Model.Llama;
using LoraPar.Model.Runtime;
using LoraPar.Model.Tokenizers;
using LoraPar.Pipeline.Progress;
using LoraPar.Pipeline.Stages;
using LoraPar.Pipeline.Stages.Modeling;
using LoraPar.TestSupport;

namespace LoraPar.Pipeline.Tests.Stages.Modeling;

/// <summary>
/// The vocabulary check holds where a stage loads the model, not only at manifest load: a checkpoint folder replaced after the
/// manifest was validated by one whose embedding is smaller than its tokenizer is refused as bad input naming both sizes.
/// </summary>
public sealed class BaseModelVocabularyTests : IDisposable
{
    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [SkippableFact]
    public void A_stage_loading_a_model_smaller_than_its_tokenizer_gets_one_line_of_bad_input()
    {
        var spm = SharedData.Require("models/llama2-tokenizer/tokenizer.model");
        TorchRuntime.EnsureInitialized();
        var folder = TinyCheckpoint.Write(_ws.PathOf("model"), spm, new TinyCheckpointShape(), seed: 3);
        _ws.Write("m.toml", "method = \"sft\"\ndevice = \"cpu\"\n[model]\nsource = \"checkpoint\"\npath = \"model\"\n");
        var manifest = _ws.Load("m.toml").Manifest;
        using (BaseModel.Load(Context(manifest))) { }

        using (var small = TinyModelFactory.Create(TinyModelFactory.Config(64, hidden: 32), seed: 3)) HfCheckpoint.Save(small, folder);
        var error = Assert.Throws<BadInputException>(() => BaseModel.Load(Context(manifest)));
        Assert.Equal(ExitCodes.BadInput, (int)error.Kind);
        Assert.Contains("the tokenizer has 32000 tokens but config.json has vocab_size = 64", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(32000, TokenizerLoader.Load(folder).VocabSize);
    }

    private StageContext Context(Pipeline.Manifest.PipelineManifest manifest) =>
        new(manifest, "key", _ws.PathOf("out"), new Dictionary<string, string>(), new Dictionary<string, string>(), NullProgressReporter.Instance,
            _ => { }, CancellationToken.None, () => _ws.PathOf("partial"));
}
