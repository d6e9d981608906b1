using System.IO;
using System.Linq;
using System.Xml.Linq;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.PowerShell
{
    /// <summary>The format file names real types and real properties (a typo would silently fall back to a list view).</summary>
    public class FormatFileTests
    {
        [Fact]
        public void Every_view_names_an_existing_type_and_existing_properties()
        {
            var xml = XDocument.Load(Path.Combine(RepoRoot.Path, "src", "MtkFlash.PowerShell", "MtkFlash.format.ps1xml"));
            var core = typeof(MtkFlash.Core.Drives.OpticalDrive).Assembly;
            var views = xml.Descendants("View").ToList();
            Assert.True(views.Count >= 4);
            foreach (var view in views)
            {
                var typeName = view.Element("ViewSelectedBy").Element("TypeName").Value;
                var type = core.GetType(typeName);
                Assert.True(type != null, "no type " + typeName);
                var headers = view.Descendants("TableColumnHeader").Count();
                var properties = view.Descendants("PropertyName").Select(p => p.Value).ToList();
                Assert.Equal(headers, view.Descendants("TableColumnItem").Count());   // one item (property or script) per column
                foreach (var p in properties) Assert.True(type.GetProperty(p) != null, typeName + " has no property " + p);
            }
            // The inventory's default table: Path, Vendor, Product, Revision, Family, State (issue 2).
            var drive = views.Single(v => v.Element("Name").Value == "MtkFlash.Core.Drives.OpticalDrive");
            Assert.Equal(new[] { "Path", "Vendor", "Product", "Revision", "Family", "State" }, drive.Descendants("PropertyName").Select(p => p.Value));
        }
    }
}
