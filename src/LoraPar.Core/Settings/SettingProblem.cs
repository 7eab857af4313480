namespace LoraPar.Core.Settings;

/// <summary>
/// One problem with a settings record: the key it concerns, as written in a manifest (snake_case, dotted below a nested
/// record: <c>rewards.correctness</c>), and what is wrong with it. The manifest loader places it at <c>file:line:col</c>.
/// </summary>
public readonly record struct SettingProblem(string Key, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Key}: {Message}";
}
