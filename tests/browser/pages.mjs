// One page of each type of the demonstration site, by name (the tests that open every page
// type share this list).
export const PAGES = {
  home: '',
  street: 'streets/gulou/',
  community: 'communities/wenmiao/',
  notice: 'communities/wenmiao/notice/',
  units: 'units/',
  unit: 'units/renmin-yiyuan/',
  agreement: 'agreements/wenmiao-2018/',
  item: 'items/i-2018-001/',
  categories: 'categories/',
  category: 'categories/repair/',
  overdue: 'overdue/',
  data: 'data/',
  year: 'years/2018/',
  page: 'about/',
  search: 'search/?q=维修',
  accessibility: 'accessibility/',
  '404': '404.html',
};
