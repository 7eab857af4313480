using LoraPar.Core;
using LoraPar.Method.Splitter;
using LoraPar.Model.Checkpoints;
using LoraPar.Model.Generation;
using LoraPar.Model.Llama;
using LoraPar.Model.Runtime;
using LoraPar.Model.Tokenizers;
using LoraPar.Pipeline.Stages.Labels;

namespace LoraPar.Pipeline.Tests.Stages.Labels;

public sealed class LocalTeacherScorersTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lorapar-local-teacher-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_saved_checkpoint_folder_scores_both_answers_like_the_model_it_holds()
    {
        TorchRuntime.EnsureInitialized();
        var tokenizer = CharTokenizer.CreateAscii();
        using var model = TinyModelFactory.Create(TinyModelFactory.Config(tokenizer.VocabSize, hidden: 32), seed: 3);
        HfCheckpoint.Save(model, _dir);
        tokenizer.Save(_dir);
        ScoringRequest[] requests = [new("Q: 2+2?\nAnswer:", " System 1"), new("Q: 2+2?\nAnswer:", " System 2")];

        var loaded = LocalTeacherScorers.Load(new LocalTeacherConfig("tiny", _dir)).LogLikelihood(requests);
        var direct = new SequenceScorer(model, tokenizer).LogLikelihood(requests);

        Assert.Equal(2, loaded.Count);
        Assert.All(loaded, v => Assert.True(double.IsFinite(v) && v < 0));
        Assert.Equal(direct[0], loaded[0], 1e-4);
        Assert.Equal(direct[1], loaded[1], 1e-4);
    }

    [Fact]
    public void A_missing_checkpoint_folder_is_bad_input_naming_the_teacher()
    {
        var error = Assert.Throws<BadInputException>(() => LocalTeacherScorers.Load(new LocalTeacherConfig("judge", Path.Combine(_dir, "nope"))));
        Assert.Contains("judge", error.Message);
    }
}
