using Assl.Stream.OnlineLearning.Store;
using Microsoft.Data.Sqlite;

namespace Assl.Stream.Tests.OnlineLearning;

public sealed class StoreOptionsTests
{
    [Fact]
    public void DefaultsAreValid_AndOutOfRangeValuesAreNot()
    {
        var validator = new ValidateStoreOptions();
        Assert.True(validator.Validate(null, new StoreOptions()).Succeeded);
        var bad = validator.Validate(null, new StoreOptions { QueueCapacity = 0, Path = "" });
        Assert.True(bad.Failed);
        Assert.Contains(nameof(StoreOptions.QueueCapacity), bad.FailureMessage);
        Assert.Contains(nameof(StoreOptions.Path), bad.FailureMessage);
    }

    [Fact]
    public void ARelativePathIsTakenFromTheContentRoot_AndAConnectionStringWins()
    {
        var root = Path.Combine(Path.GetTempPath(), "root");
        var resolved = new SqliteConnectionStringBuilder(new StoreOptions().ResolveConnectionString(root));
        Assert.Equal(Path.Combine(root, "data", "assl.db"), resolved.DataSource);
        Assert.Equal(SqliteOpenMode.ReadWriteCreate, resolved.Mode);

        var custom = new StoreOptions { ConnectionString = "Data Source=/x/y.db;Mode=ReadOnly" };
        Assert.Equal("Data Source=/x/y.db;Mode=ReadOnly", custom.ResolveConnectionString(root));
    }
}
