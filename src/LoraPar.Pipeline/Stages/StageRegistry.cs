namespace LoraPar.Pipeline.Stages;

/// <summary>
/// The stages a run may use, by kind. The CLI builds one with <see cref="PipelineStages.CreateDefault"/>; tests build their own
/// with cheap stages. No global state: a registry is passed to every pipeline call.
/// </summary>
public sealed class StageRegistry
{
    private readonly List<IStage> _stages = [];

    /// <summary>The registered stages in registration order.</summary>
    public IReadOnlyList<IStage> Stages => _stages;

    /// <summary>Adds a stage; a second stage of the same kind is a programming error.</summary>
    public StageRegistry Register(IStage stage)
    {
        if (string.IsNullOrWhiteSpace(stage.Kind) || stage.Kind.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
            throw new ArgumentException($"stage kind '{stage.Kind}' must be lower-case letters, digits or '-'", nameof(stage));
        if (Find(stage.Kind) is not null) throw new ArgumentException($"a stage of kind '{stage.Kind}' is already registered", nameof(stage));
        _stages.Add(stage);
        return this;
    }

    /// <summary>The stage of <paramref name="kind"/>, or null.</summary>
    public IStage? Find(string kind) => _stages.FirstOrDefault(s => s.Kind == kind);
}
