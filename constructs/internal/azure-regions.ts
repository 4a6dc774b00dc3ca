/**
 * Azure public-cloud region names accepted as `location` on Azure resources (the `name` field of
 * `az account list-locations`, e.g. `westeurope`, `eastus2`, `swedencentral`).
 *
 * Source: Azure/terraform-azurerm-avm-utl-regions `modules/cached-data/locations.tf.json` at commit
 * 0caf3b86ee299c3c8a84b945316a72e31622c0ee (a cached
 * `az account list-locations` result; entries with regionType Physical). Excluded: the 40 entries with
 * regionType Logical, i.e. geography/aggregate names (`global`, `asia`, `asiapacific`, `europe`, `unitedstates`,
 * `unitedstateseuap`, `uk`, `uae`, ... one per country/geography) and the nine `*stage` names (`centralusstage`,
 * `eastusstage`, `eastus2stage`, `northcentralusstage`, `southcentralusstage`, `westusstage`, `westus2stage`,
 * `eastasiastage`, `southeastasiastage`), because they are not datacentre regions (`global` is only meaningful
 * for global resource types, never for a Log Analytics workspace, storage account or event hub). Kept, because
 * the source marks them Physical: the canary regions `eastus2euap` and `centraluseuap` and the stage regions
 * `eastusstg` and `southcentralusstg`; ordinary subscriptions normally cannot deploy to them.
 * Regions the cache does not list (e.g. `swedensouth`, which appears only as a paired region) are not included.
 */
export const AZURE_REGIONS: readonly string[] = [
  'australiacentral',
  'australiacentral2',
  'australiaeast',
  'australiasoutheast',
  'austriaeast',
  'belgiumcentral',
  'brazilsouth',
  'brazilsoutheast',
  'canadacentral',
  'canadaeast',
  'centralindia',
  'centralus',
  'centraluseuap',
  'chilecentral',
  'eastasia',
  'eastus',
  'eastus2',
  'eastus2euap',
  'eastusstg',
  'francecentral',
  'francesouth',
  'germanynorth',
  'germanywestcentral',
  'indonesiacentral',
  'israelcentral',
  'italynorth',
  'japaneast',
  'japanwest',
  'jioindiacentral',
  'jioindiawest',
  'koreacentral',
  'koreasouth',
  'malaysiawest',
  'mexicocentral',
  'newzealandnorth',
  'northcentralus',
  'northeurope',
  'norwayeast',
  'norwaywest',
  'polandcentral',
  'qatarcentral',
  'southafricanorth',
  'southafricawest',
  'southcentralus',
  'southcentralusstg',
  'southeastasia',
  'southindia',
  'spaincentral',
  'swedencentral',
  'switzerlandnorth',
  'switzerlandwest',
  'uaecentral',
  'uaenorth',
  'uksouth',
  'ukwest',
  'westcentralus',
  'westeurope',
  'westindia',
  'westus',
  'westus2',
  'westus3',
];
